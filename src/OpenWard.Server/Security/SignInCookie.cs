namespace OpenWard.Server.Security;

/// <summary>
/// The short-lived cookie that remembers a person between the sign-in page and the authorization
/// endpoint. It is accepted there only: every API call carries a bearer token instead, so the API
/// is not exposed to cross-site request forgery.
/// </summary>
public static class SignInCookie
{
    /// <summary>The authentication scheme.</summary>
    public const string Scheme = "OpenWard.SignIn";

    /// <summary>The sign-in page.</summary>
    public const string SignInPath = "/account/sign-in";

    /// <summary>Registers the cookie.</summary>
    public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddSignInCookie(this Microsoft.AspNetCore.Authentication.AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, cookie =>
        {
            cookie.LoginPath = SignInPath;
            cookie.Cookie.Name = "openward-sign-in";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            cookie.SlidingExpiration = false;
        });
}
