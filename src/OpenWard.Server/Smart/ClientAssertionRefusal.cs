using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Smart;

/// <summary>
/// A client assertion refused with <c>invalid_client</c> and the reason, which the token response keeps
/// (other refusals concerning the client are worded alike, so as not to say which client ids exist).
/// </summary>
public static class ClientAssertionRefusal
{
    /// <summary>The transaction property that holds the reason.</summary>
    public const string ReasonProperty = "openward:client-assertion-refusal";

    /// <summary>What a refusal says when OpenIddict found no key of the named client that made the signature.</summary>
    public const string UnknownKey =
        "the client assertion is not signed by a key registered for its client (iss), or there is no such client";

    /// <summary>Refuses the request with <c>invalid_client</c>, saying why.</summary>
    public static void Refuse(OpenIddictServerEvents.ProcessAuthenticationContext context, string reason)
    {
        context.Transaction.Properties[ReasonProperty] = reason;
        context.Reject(error: Errors.InvalidClient, description: reason);
    }

    /// <summary>The reason a client assertion was refused in this transaction, if one was.</summary>
    public static string? ReasonIn(OpenIddictServerTransaction transaction) =>
        transaction.Properties.TryGetValue(ReasonProperty, out var reason) ? reason as string : null;
}
