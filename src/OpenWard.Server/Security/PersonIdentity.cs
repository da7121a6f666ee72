using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OpenWard.Server.People;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Security;

/// <summary>The claims a person's tokens carry, built afresh from their account at every sign-in and refresh.</summary>
public static class PersonIdentity
{
    /// <summary>A principal for <paramref name="user"/> with the scopes granted, whose access token lives <paramref name="lifetime"/>.</summary>
    public static ClaimsPrincipal For(UserAccount user, IEnumerable<string> scopes, TimeSpan lifetime)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id);
        identity.SetClaim(Claims.Name, user.DisplayName);
        identity.SetClaim(Claims.PreferredUsername, user.UserName);
        identity.SetClaim(Claims.Role, user.Role);
        identity.SetClaim(Caller.KindClaim, Caller.PersonKind);
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type == Caller.KindClaim
            ? [Destinations.AccessToken]
            : [Destinations.AccessToken, Destinations.IdentityToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetAccessTokenLifetime(lifetime);
        return principal;
    }
}
