using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenWard.Server.Smart;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Identity;

/// <summary>
/// One wording for every refusal that concerns the client at the authorization and token endpoints:
/// OpenIddict's own messages (and their error URIs) say whether a <c>client_id</c> is unknown or only its
/// secret or redirect URI is wrong, which tells a guesser which client ids exist. The error codes stay as
/// OAuth 2 requires them. A refused client assertion (SMART Backend Services) says what was wrong with it
/// (<see cref="ClientAssertionRefusal"/>): its own claims, or that no key of the client it names made its
/// signature — which is said alike whether or not that client exists.
/// </summary>
public static class ClientErrorWording
{
    /// <summary>The description of every refusal concerning the client.</summary>
    public const string Description = "the client could not be authenticated, or the request does not match its registration";

    /// <summary>Rewrites the refusals' descriptions before they are sent.</summary>
    public static OpenIddictServerBuilder UseUniformClientErrors(this OpenIddictServerBuilder server) => server
        .AddEventHandler<OpenIddictServerEvents.ApplyTokenResponseContext>(handler =>
            handler.UseInlineHandler(context => Reword(context.Response, context.Transaction)).SetOrder(int.MinValue))
        .AddEventHandler<OpenIddictServerEvents.ApplyAuthorizationResponseContext>(handler =>
            handler.UseInlineHandler(context => Reword(context.Response, context.Transaction)).SetOrder(int.MinValue));

    private static ValueTask Reword(OpenIddictResponse response, OpenIddictServerTransaction transaction)
    {
        if (response.Error == Errors.InvalidClient && !string.IsNullOrEmpty(transaction.Request?.ClientAssertion))
        {
            response.ErrorDescription = ClientAssertionRefusal.ReasonIn(transaction) ?? ClientAssertionRefusal.UnknownKey;
            response.ErrorUri = null;
            return ValueTask.CompletedTask;
        }

        if (response.Error == Errors.InvalidClient
            || response.ErrorDescription?.Contains(Parameters.ClientId, StringComparison.Ordinal) == true
            || response.ErrorDescription?.Contains(Parameters.RedirectUri, StringComparison.Ordinal) == true)
        {
            response.ErrorDescription = Description;
            response.ErrorUri = null;
        }

        return ValueTask.CompletedTask;
    }
}
