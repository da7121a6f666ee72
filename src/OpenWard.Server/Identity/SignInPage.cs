using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using OpenWard.Server.Access;
using OpenWard.Server.Audit;
using OpenWard.Server.People;

namespace OpenWard.Server.Identity;

/// <summary>
/// <c>/account/sign-in</c>: the page where a person enters their user name and password on their way
/// to an authorization code (authorization code flow with PKCE). The form carries an anti-forgery
/// token; every attempt, accepted or not, is written to the audit trail; repeated failures lock the
/// account. The page never says whether the user name or the password was wrong.
/// </summary>
public static class SignInPage
{
    /// <summary>Maps the sign-in and sign-out endpoints.</summary>
    public static IEndpointRouteBuilder MapSignInPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignInCookie.SignInPath, (HttpContext context, string? returnUrl, IAntiforgery antiforgery) =>
            Page(context, antiforgery, LocalOrRoot(returnUrl), message: null)).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(SignInCookie.SignInPath, SignInAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription()
            .RequireRateLimiting(SignInRateLimits.SignInForm);
        app.MapGet("/account/sign-out", (HttpContext context, IAntiforgery antiforgery) => SignOutPage(context, antiforgery))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/account/sign-out", SignOutAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, IAntiforgery antiforgery, UserDirectory users, AuditTrail trail, TimeProvider clock, CancellationToken cancellationToken)
    {
        var arrived = clock.GetTimestamp();
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "the sign-in form expired or did not come from this server; reload the page");
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var userName = form["userName"].ToString();
        var returnUrl = LocalOrRoot(form["returnUrl"].ToString());
        var (check, user) = await users.CheckPasswordAsync(userName, form["password"].ToString(), form["oneTimeCode"].ToString(), cancellationToken);
        var source = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        // A refused attempt names the account tried, never what was typed: people sometimes type their password as the user name.
        var tried = user ?? await users.FindByUserNameAsync(userName.Trim(), cancellationToken);
        var actor = tried is null ? "sign-in:no-such-account" : "user:" + tried.Id;
        await trail.AppendAsync(actor, "sign-in", null, source, check.ToString().ToLowerInvariant(), cancellationToken);
        if (check != PasswordCheck.Accepted)
        {
            // One message for every refusal (the audit trail tells them apart): saying "locked" or "disabled" would
            // confirm that the account exists. And one pace: a wrong password for a real account costs a write that
            // an unknown name does not, so every refusal is answered RefusalPace after the form arrived.
            var left = RefusalPace - clock.GetElapsedTime(arrived);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, clock, cancellationToken);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page(context, antiforgery, returnUrl, RefusedMessage);
        }

        var identity = new ClaimsIdentity([new Claim("sub", user!.Id), new Claim(Caller.SessionClaim, PersonIdentity.Generation(user))], SignInCookie.Scheme);
        await context.SignInAsync(SignInCookie.Scheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    // Signing out ends every session of the person — the cookie, copies of it, their tokens and live alerts —
    // on every device: on a shared ward computer, "sign out" must mean nobody can carry on as them.
    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, PersonSessions sessions)
    {
        await antiforgery.ValidateRequestAsync(context);
        var session = await context.AuthenticateAsync(SignInCookie.Scheme);
        if (session.Principal?.FindFirst("sub")?.Value is { } userId)
        {
            await sessions.EndAsync(userId, context.RequestAborted);
        }

        await context.SignOutAsync(SignInCookie.Scheme);
        return Results.Redirect(SignInCookie.SignInPath);
    }

    /// <summary>How long after the form arrives a refused sign-in is answered, whatever the reason it was refused.</summary>
    public static readonly TimeSpan RefusalPace = TimeSpan.FromSeconds(1);

    private const string RefusedMessage =
        "The user name, password or one-time code is not right, or the account cannot sign in now. "
        + "After several failed attempts an account is locked for a while; an administrator can unlock it.";

    // Only ever back into this server: an open redirect would let a phishing link borrow OpenWard's sign-in page.
    // Browsers drop tabs and line breaks from URLs ("/\t/evil.example" becomes "//evil.example"), and a line break
    // cannot go into a Location header at all, so a return URL with any control character or space goes to the root.
    private static string LocalOrRoot(string? returnUrl) =>
        returnUrl is { Length: > 1 } && returnUrl[0] == '/' && returnUrl[1] is not ('/' or '\\')
            && !returnUrl.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            ? returnUrl
            : "/";

    // Signing out is a form post with an anti-forgery token, so another site cannot sign a person out behind their back.
    private static IResult SignOutPage(HttpContext context, IAntiforgery antiforgery) =>
        Card("Sign out", "Sign out of OpenWard", $"""
            <form method="post" action="/account/sign-out">
            {AntiforgeryField(context, antiforgery)}
            <p><button type="submit" class="primary">Sign out</button> <a href="/console/">Back to the console</a></p>
            </form>
            """);

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? message)
    {
        var error = message is null ? "" : $"""<p role="alert" id="sign-in-error">{WebUtility.HtmlEncode(message)}</p>""";
        return Card("Sign in", "Sign in to OpenWard", $"""
            {error}
            <form method="post" action="{SignInCookie.SignInPath}">
            {AntiforgeryField(context, antiforgery)}
            <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
            <p><label for="userName">User name</label><br><input id="userName" name="userName" autocomplete="username" required autofocus></p>
            <p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
            <p><label for="oneTimeCode">One-time code (if you use an authenticator app)</label><br><input id="oneTimeCode" name="oneTimeCode" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength="6"></p>
            <p><button type="submit" class="primary">Sign in</button></p>
            </form>
            """);
    }

    private static string AntiforgeryField(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return $"""<input type="hidden" name="{tokens.FormFieldName}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">""";
    }

    // The account pages in the console's style: one centred card.
    private static IResult Card(string title, string heading, string content) => Results.Content($"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} — OpenWard</title>
        <link rel="icon" href="/console/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/console/css/console.css"></head>
        <body>
        <main id="main" class="panel sign-in">
        <h1>{heading}</h1>
        {content}
        </main>
        </body>
        </html>
        """, "text/html; charset=utf-8");
}
