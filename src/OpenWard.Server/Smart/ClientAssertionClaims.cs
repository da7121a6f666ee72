using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Server;

namespace OpenWard.Server.Smart;

/// <summary>
/// What SMART Backend Services asks of a client assertion beyond what OpenIddict checks (the signature
/// against the client's registered keys, <c>iss</c> = <c>sub</c> = the client): signed with RS384 or ES384,
/// <c>aud</c> the token URL, <c>exp</c> not passed and at most five minutes ahead, and a <c>jti</c>. Read
/// before the signature is checked, so that each refusal says what was wrong; nothing here is trusted until
/// OpenIddict has checked the signature.
/// </summary>
public sealed class ClientAssertionClaims(TimeProvider clock) : IOpenIddictServerHandler<OpenIddictServerEvents.ProcessAuthenticationContext>
{
    /// <summary>The signing algorithms a backend service may use (SMART Backend Services).</summary>
    public static readonly IReadOnlyList<string> Algorithms = ["RS384", "ES384"];

    /// <summary>How far ahead an assertion's expiry may be.</summary>
    public static readonly TimeSpan LongestLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The longest <c>jti</c> kept.</summary>
    public const int LongestId = 255;

    /// <summary>Where the handler runs: before OpenIddict validates the assertion.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor
        .CreateBuilder<OpenIddictServerEvents.ProcessAuthenticationContext>()
        .UseScopedHandler<ClientAssertionClaims>()
        .SetOrder(OpenIddictServerHandlers.ValidateClientAssertion.Descriptor.Order - 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <inheritdoc/>
    public ValueTask HandleAsync(OpenIddictServerEvents.ProcessAuthenticationContext context)
    {
        if (context.EndpointType != OpenIddictServerEndpointType.Token || string.IsNullOrEmpty(context.ClientAssertion))
        {
            return ValueTask.CompletedTask;
        }

        var now = (context.Options.TimeProvider ?? clock).GetUtcNow();
        var tokenUrl = SmartConfigurationApi.TokenUrl(context.Options, context.BaseUri);
        if (Problem(context.ClientAssertion, context.ClientId, tokenUrl, now) is { } reason)
        {
            ClientAssertionRefusal.Refuse(context, reason);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>What is wrong with the assertion, or null when these checks pass.</summary>
    public static string? Problem(string assertion, string? clientId, Uri? tokenUrl, DateTimeOffset now)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(assertion);
        }
        catch (ArgumentException)
        {
            return "the client assertion is not a signed JWT";
        }

        if (!Algorithms.Contains(token.Alg))
        {
            return $"the client assertion is signed with {(string.IsNullOrEmpty(token.Alg) ? "no algorithm" : token.Alg)}; sign it with {string.Join(" or ", Algorithms)}";
        }

        if (string.IsNullOrEmpty(token.Issuer) || token.Issuer != token.Subject || (clientId is { Length: > 0 } && clientId != token.Issuer))
        {
            return "the client assertion's iss and sub must both be the client id";
        }

        if (tokenUrl is null || !token.Audiences.Contains(tokenUrl.AbsoluteUri))
        {
            return $"the client assertion's aud must be the token URL, {tokenUrl?.AbsoluteUri}";
        }

        if (!token.TryGetPayloadValue<long>("exp", out var expires))
        {
            return "the client assertion has no exp";
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        if (expiresAt <= now)
        {
            return $"the client assertion expired at {expiresAt:O}; make a new one for each token request";
        }

        if (expiresAt > now + LongestLifetime)
        {
            return $"the client assertion's exp is more than {LongestLifetime.TotalMinutes:0} minutes ahead";
        }

        return string.IsNullOrEmpty(token.Id) || token.Id.Length > LongestId
            ? $"the client assertion needs a jti of 1 to {LongestId} characters, new for each assertion"
            : null;
    }
}
