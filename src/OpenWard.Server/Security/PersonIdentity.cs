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
        identity.SetClaim(Caller.SessionClaim, Generation(user));
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type is Caller.KindClaim or Caller.SessionClaim
            ? [Destinations.AccessToken]
            : [Destinations.AccessToken, Destinations.IdentityToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetAccessTokenLifetime(lifetime);
        return principal;
    }

    /// <summary>The value of <see cref="Caller.SessionClaim"/> for the account's current sessions.</summary>
    public static string Generation(UserAccount user) => user.SessionGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether a cookie or token of <paramref name="user"/> belongs to their current sessions: the account is not
    /// disabled and no password change, sign-out or disabling has ended the generation it was issued in.
    /// </summary>
    public static bool IsCurrent(ClaimsPrincipal principal, UserAccount user) =>
        !user.Disabled && principal.FindFirst(Caller.SessionClaim)?.Value == Generation(user);
}
