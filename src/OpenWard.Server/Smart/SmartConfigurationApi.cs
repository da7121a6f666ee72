using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Smart;

/// <summary>
/// <c>GET /.well-known/smart-configuration</c>: how a backend service obtains a token (SMART App Launch,
/// "SMART Backend Services") — client credentials with a <c>private_key_jwt</c> client assertion signed with
/// RS384 or ES384, at this server's token URL, for <c>system/</c> scopes. Open to everyone, as the standard asks.
/// </summary>
public static class SmartConfigurationApi
{
    /// <summary>The document's path.</summary>
    public const string Path = "/.well-known/smart-configuration";

    /// <summary>The scopes the document lists; any <c>system/</c> scope of the same form is understood (<see cref="SmartScope"/>).</summary>
    public static readonly IReadOnlyList<string> ScopesSupported =
    [
        "system/*.rs", "system/Observation.rs", "system/Patient.rs", "system/Device.rs", "system/Flag.rs", "system/Group.rs",
        "system/*.read", "system/Observation.read", "system/Patient.read", "system/Device.read", "system/Flag.read", "system/Group.read",
    ];

    /// <summary>The SMART configuration document.</summary>
    public sealed record SmartConfiguration(
        string TokenEndpoint,
        IReadOnlyList<string> GrantTypesSupported,
        IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
        IReadOnlyList<string> TokenEndpointAuthSigningAlgValuesSupported,
        IReadOnlyList<string> ScopesSupported,
        IReadOnlyList<string> Capabilities);

    /// <summary>Maps the document.</summary>
    public static IEndpointRouteBuilder MapSmartConfiguration(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Describe).AllowAnonymous().WithTags("SMART");
        return app;
    }

    /// <summary>
    /// The token URL a client assertion's <c>aud</c> names: the token endpoint under the configured issuer, or
    /// under the address the request came to when none is configured (as OpenIddict's discovery document says).
    /// </summary>
    public static Uri? TokenUrl(OpenIddictServerOptions options, Uri? requestBase)
    {
        var endpoint = options.TokenEndpointUris.FirstOrDefault();
        var root = options.Issuer ?? requestBase;
        if (endpoint is null || endpoint.IsAbsoluteUri || root is null)
        {
            return endpoint is { IsAbsoluteUri: true } ? endpoint : null;
        }

        return new Uri(root.AbsoluteUri.TrimEnd('/') + "/" + endpoint.OriginalString.TrimStart('/'));
    }

    private static IResult Describe(HttpRequest request, IOptionsMonitor<OpenIddictServerOptions> server) =>
        TypedResults.Json(new SmartConfiguration(
            TokenEndpoint: TokenUrl(server.CurrentValue, new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/"))?.AbsoluteUri ?? "",
            GrantTypesSupported: [GrantTypes.ClientCredentials],
            TokenEndpointAuthMethodsSupported: [ClientAuthenticationMethods.PrivateKeyJwt],
            TokenEndpointAuthSigningAlgValuesSupported: ClientAssertionClaims.Algorithms,
            ScopesSupported: ScopesSupported,
            Capabilities: ["client-confidential-asymmetric", "permission-v2", "permission-v1"]),
            SnakeCase);

    private static readonly System.Text.Json.JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };
}
