using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Smart;

/// <summary>
/// The other half of <see cref="ClientAssertionType"/>: OpenIddict reads a token typed <c>JWT</c> as an
/// identity token; where only a client assertion was expected, the validated token is one.
/// </summary>
public sealed class ClientAssertionPrincipalType : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenContext>
{
    /// <summary>Where the handler runs: once OpenIddict has validated the token and before it checks the token's type.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor
        .CreateBuilder<OpenIddictServerEvents.ValidateTokenContext>()
        .UseSingletonHandler<ClientAssertionPrincipalType>()
        .SetOrder(OpenIddictServerHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order + 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <inheritdoc/>
    public ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenContext context)
    {
        if (ClientAssertionType.ExpectsClientAssertion(context) && context.Principal is { } principal && principal.GetTokenType() == TokenTypeIdentifiers.IdentityToken)
        {
            principal.SetTokenType(TokenTypeIdentifiers.Private.ClientAssertion);
        }

        return ValueTask.CompletedTask;
    }
}
