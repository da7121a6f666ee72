using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Server;

namespace OpenWard.Server.Smart;

/// <summary>
/// A client assertion is accepted once: after OpenIddict has checked its signature, its <c>jti</c> is
/// recorded until its expiry (<see cref="UsedClientAssertions"/>), and an assertion whose <c>jti</c> was
/// used before is refused.
/// </summary>
public sealed class ClientAssertionReplay(UsedClientAssertions used) : IOpenIddictServerHandler<OpenIddictServerEvents.ProcessAuthenticationContext>
{
    /// <summary>Where the handler runs: as soon as OpenIddict has validated the assertion's signature.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor
        .CreateBuilder<OpenIddictServerEvents.ProcessAuthenticationContext>()
        .UseScopedHandler<ClientAssertionReplay>()
        .SetOrder(OpenIddictServerHandlers.ValidateClientAssertion.Descriptor.Order + 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <inheritdoc/>
    public async ValueTask HandleAsync(OpenIddictServerEvents.ProcessAuthenticationContext context)
    {
        if (context.EndpointType != OpenIddictServerEndpointType.Token || context.ClientAssertionPrincipal is null
            || string.IsNullOrEmpty(context.ClientAssertion))
        {
            return;
        }

        // The claims were checked before the signature (ClientAssertionClaims); the signature now vouches for them.
        var token = new JsonWebToken(context.ClientAssertion);
        if (!await used.TryUseAsync(token.Issuer, token.Id, token.ValidTo, context.CancellationToken))
        {
            ClientAssertionRefusal.Refuse(context, "the client assertion's jti was used before; make a new assertion, with a new jti, for each token request");
        }
    }
}
