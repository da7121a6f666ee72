using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Smart;

/// <summary>
/// Takes the SMART scopes a client-credentials token request asks for out of OpenIddict's hands: OpenIddict
/// knows scopes by exact name, while SMART's are a grammar (<c>system/Observation.rs</c>, <c>system/*.read</c>,
/// …) granted within what the client was registered with (<see cref="SmartScopeGrant"/>). A scope that is not
/// one OpenWard understands is refused here with <c>invalid_scope</c> and its reason; the rest are kept in the
/// transaction for the token endpoint, and the request goes on with its other scopes.
/// </summary>
public sealed class SmartScopeRequest : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenRequestContext>
{
    private const string RequestedProperty = "openward:smart-scopes-requested";

    /// <summary>Where the handler runs: before OpenIddict checks the request's scopes.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor
        .CreateBuilder<OpenIddictServerEvents.ValidateTokenRequestContext>()
        .UseSingletonHandler<SmartScopeRequest>()
        .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopeParameter.Descriptor.Order - 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <summary>The SMART scopes the token request asked for (none when it asked for none).</summary>
    public static IReadOnlyList<string> RequestedIn(OpenIddictServerTransaction transaction) =>
        transaction.Properties.TryGetValue(RequestedProperty, out var requested) && requested is IReadOnlyList<string> scopes ? scopes : [];

    /// <inheritdoc/>
    public ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenRequestContext context)
    {
        if (!context.Request.IsClientCredentialsGrantType())
        {
            return ValueTask.CompletedTask;
        }

        var scopes = context.Request.GetScopes();
        var smart = scopes.Where(scope => scope.Contains('/', StringComparison.Ordinal)).ToList();
        if (smart.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        foreach (var scope in smart)
        {
            if (!SmartScope.TryParse(scope, out _, out var reason))
            {
                context.Reject(error: Errors.InvalidScope, description: reason);
                return ValueTask.CompletedTask;
            }
        }

        context.Transaction.Properties[RequestedProperty] = smart;
        var others = scopes.Except(smart).ToList();
        context.Request.Scope = others.Count == 0 ? null : string.Join(' ', others);
        return ValueTask.CompletedTask;
    }
}
