using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Smart;

/// <summary>
/// Accepts client assertions as SMART Backend Services writes them — typed <c>JWT</c>, for the token URL — where
/// OpenIddict 7 expects the newer explicit type <c>client-authentication+jwt</c> and the issuer as audience
/// (draft-ietf-oauth-rfc7523bis). A token of another explicit type (an access token, <c>at+jwt</c>) is still
/// refused; the assertion's other claims are held to SMART's rules (<see cref="ClientAssertionClaims"/>), which
/// ask for the token URL as its audience.
/// </summary>
public sealed class ClientAssertionType : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenContext>
{
    /// <summary>The type SMART Backend Services gives a client assertion.</summary>
    public const string SmartType = "JWT";

    /// <summary>Where the handler runs: once OpenIddict has chosen how to validate a client assertion.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor
        .CreateBuilder<OpenIddictServerEvents.ValidateTokenContext>()
        .UseSingletonHandler<ClientAssertionType>()
        .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <inheritdoc/>
    public ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenContext context)
    {
        if (!ExpectsClientAssertion(context))
        {
            return ValueTask.CompletedTask;
        }

        if (context.TokenValidationParameters.ValidTypes is { } types && !types.Contains(SmartType))
        {
            context.TokenValidationParameters.ValidTypes = [.. types, SmartType];
        }

        if (SmartConfigurationApi.TokenUrl(context.Options, context.BaseUri) is { } tokenUrl)
        {
            context.ValidAudiences.Add(tokenUrl.AbsoluteUri);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Whether the token being validated can only be a client assertion.</summary>
    public static bool ExpectsClientAssertion(OpenIddictServerEvents.ValidateTokenContext context) =>
        context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion);
}
