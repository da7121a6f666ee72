using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using OpenWard.Server.Access;
using OpenWard.Server.People;
using OpenWard.Server.Smart;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Identity;

/// <summary>
/// <c>POST /connect/token</c>: OpenIddict has already authenticated the client and checked the code
/// or refresh token; this issues the access token — with the client's role for client credentials (and,
/// for a backend service, the SMART scopes granted from those it asked for, <see cref="SmartScopeGrant"/>),
/// and with the person's current account for authorization codes and refresh tokens (so a disabled
/// account or a changed role takes effect at the next refresh).
/// </summary>
public static class TokenEndpoint
{
    /// <summary>Maps the token endpoint.</summary>
    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", IssueAsync).AllowAnonymous().ExcludeFromDescription().RequireRateLimiting(SignInRateLimits.TokenRequests);
        return app;
    }

    private static async Task<IResult> IssueAsync(
        HttpContext context, ApiClients clients, UserDirectory users, Microsoft.Extensions.Options.IOptions<SignInOptions> options,
        Microsoft.Extensions.Options.IOptionsMonitor<OpenIddictServerOptions> tokenServer, TimeProvider clock, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest();
        if (request is not null && (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType()))
        {
            // The session's end is reckoned by the clock OpenIddict stamps and checks the tokens by, so that the two agree.
            return await IssueForPersonAsync(
                context, users, options.Value.PersonAccessTokenLifetime, tokenServer.CurrentValue.TimeProvider ?? clock, cancellationToken);
        }

        if (request is null || !request.IsClientCredentialsGrantType() || request.ClientId is null)
        {
            return Refuse(Errors.UnsupportedGrantType, "the grant must be client_credentials, authorization_code or refresh_token");
        }

        var found = await clients.FindAsync(request.ClientId, cancellationToken);
        if (found is null)
        {
            return Refuse(Errors.InvalidClient, "the client has no OpenWard role");
        }

        var transaction = context.Features.Get<OpenIddictServerAspNetCoreFeature>()?.Transaction;
        var granted = SmartScopeGrant.Grant(transaction is null ? [] : SmartScopeRequest.RequestedIn(transaction), found.SmartScopes);
        if (granted.Value is not { } smartScopes)
        {
            return Refuse(Errors.InvalidScope, granted.Reason!);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId);
        identity.SetClaim(Claims.Name, found.Name);
        identity.SetClaim(Claims.Role, found.Role);
        identity.SetClaim(Caller.KindClaim, Caller.ClientKind);
        identity.SetScopes(smartScopes);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> IssueForPersonAsync(
        HttpContext context, UserDirectory users, TimeSpan lifetime, TimeProvider clock, CancellationToken cancellationToken)
    {
        var granted = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var userId = granted.Principal?.GetClaim(Claims.Subject);
        var user = userId is null ? null : await users.FindAsync(userId, cancellationToken);
        var now = clock.GetUtcNow();
        if (user is null || !PersonIdentity.IsCurrent(granted.Principal!, user)
            || PersonIdentity.SessionEnds(granted.Principal!) is not { } sessionEnds || sessionEnds <= now)
        {
            return Refuse(Errors.InvalidGrant, "the sign-in has ended; sign in again");
        }

        return Results.SignIn(
            PersonIdentity.For(user, granted.Principal!.GetScopes(), lifetime, sessionEnds, now),
            authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
