using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenWard.Server.People;

namespace OpenWard.Server.Identity;

/// <summary>
/// The cookie that remembers a person between the sign-in page and the authorization endpoint. It
/// is accepted there only: every API call carries a bearer token instead, so the API is not exposed
/// to cross-site request forgery. It is checked against the account at every use, so a copy of it
/// stops working once the person's sessions end (<see cref="PersonSessions"/>).
/// </summary>
public static class SignInCookie
{
    /// <summary>The authentication scheme.</summary>
    public const string Scheme = "OpenWard.SignIn";

    /// <summary>The sign-in page.</summary>
    public const string SignInPath = "/account/sign-in";

    /// <summary>Registers the cookie, which lasts <paramref name="lifetime"/> from the sign-in.</summary>
    public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddSignInCookie(
        this Microsoft.AspNetCore.Authentication.AuthenticationBuilder authentication, TimeSpan lifetime) =>
        authentication.AddCookie(Scheme, cookie =>
        {
            cookie.LoginPath = SignInPath;
            cookie.Cookie.Name = "openward-sign-in";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = lifetime;
            cookie.SlidingExpiration = false;
            cookie.Events.OnValidatePrincipal = RefuseEndedSessionAsync;
        });

    private static async Task RefuseEndedSessionAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserDirectory>();
        var user = context.Principal?.FindFirst("sub")?.Value is { } userId
            ? await users.FindAsync(userId, context.HttpContext.RequestAborted)
            : null;
        if (user is null || !PersonIdentity.IsCurrent(context.Principal!, user))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
