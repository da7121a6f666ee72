using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OpenWard.Server.Access;
using OpenWard.Server.People;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Identity;

/// <summary>The claims a person's tokens carry, built afresh from their account at every sign-in and refresh.</summary>
public static class PersonIdentity
{
    /// <summary>
    /// A principal for <paramref name="user"/> with the scopes granted, for a sign-in that ends at
    /// <paramref name="sessionEnds"/>: its access token lives <paramref name="lifetime"/> and its refresh
    /// token until the sign-in ends, however often it is refreshed and however many times the person's
    /// browser asks for a new code with the same sign-in cookie.
    /// </summary>
    public static ClaimsPrincipal For(UserAccount user, IEnumerable<string> scopes, TimeSpan lifetime, DateTimeOffset sessionEnds, DateTimeOffset now)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id);
        identity.SetClaim(Claims.Name, user.DisplayName);
        identity.SetClaim(Claims.PreferredUsername, user.UserName);
        identity.SetClaim(Claims.Role, user.Role);
        identity.SetClaim(Caller.KindClaim, Caller.PersonKind);
        identity.SetClaim(Caller.SessionClaim, Generation(user));
        identity.SetClaim(SessionEndsClaim, sessionEnds.ToUnixTimeSeconds());
        identity.SetScopes(scopes);
        // The session's end stays in the code and refresh token only, where the token endpoint reads it.
        identity.SetDestinations(claim => claim.Type switch
        {
            SessionEndsClaim => [],
            Caller.KindClaim or Caller.SessionClaim => [Destinations.AccessToken],
            _ => [Destinations.AccessToken, Destinations.IdentityToken],
        });
        var principal = new ClaimsPrincipal(identity);
        var left = sessionEnds - now;
        principal.SetAccessTokenLifetime(left < lifetime ? left : lifetime);
        principal.SetRefreshTokenLifetime(left);
        return principal;
    }

    /// <summary>
    /// When the sign-in a code or refresh token comes from ends, or null when it carries none. A grant
    /// whose sign-in has ended is refused.
    /// </summary>
    public static DateTimeOffset? SessionEnds(ClaimsPrincipal granted) =>
        long.TryParse(granted.GetClaim(SessionEndsClaim), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private const string SessionEndsClaim = "openward_session_ends";

    /// <summary>The value of <see cref="Caller.SessionClaim"/> for the account's current sessions.</summary>
    public static string Generation(UserAccount user) => user.SessionGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether a cookie or token of <paramref name="user"/> belongs to their current sessions: the account is not
    /// disabled and no password change, sign-out or disabling has ended the generation it was issued in.
    /// </summary>
    public static bool IsCurrent(ClaimsPrincipal principal, UserAccount user) =>
        IsCurrent(principal, new SessionStanding(user.SessionGeneration, user.Disabled));

    /// <summary>As <see cref="IsCurrent(ClaimsPrincipal, UserAccount)"/>, from the account's <see cref="SessionStanding"/>.</summary>
    public static bool IsCurrent(ClaimsPrincipal principal, SessionStanding standing) =>
        !standing.Disabled
        && principal.FindFirst(Caller.SessionClaim)?.Value == standing.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
