using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using OpenWard.Server.People;

namespace OpenWard.Server.Identity;

/// <summary>
/// <c>/connect/authorize</c>: OpenIddict has already checked the client, its redirect URI and the
/// PKCE challenge; this sends a person who has not signed in to the sign-in page, and otherwise
/// issues the authorization code for their account.
/// </summary>
public static class AuthorizeEndpoint
{
    /// <summary>Maps the authorization endpoint.</summary>
    public static IEndpointRouteBuilder MapAuthorizeEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync)
            .AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(
        HttpContext context, UserDirectory users, Microsoft.Extensions.Options.IOptions<SignInOptions> options,
        Microsoft.Extensions.Options.IOptionsMonitor<OpenIddictServerOptions> tokenServer, TimeProvider clock, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest();
        if (request is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "not an OpenID Connect authorization request");
        }

        var session = await context.AuthenticateAsync(SignInCookie.Scheme);
        var user = session.Principal?.FindFirst("sub")?.Value is { } userId ? await users.FindAsync(userId, cancellationToken) : null;
        if (user is null || !PersonIdentity.IsCurrent(session.Principal!, user))
        {
            var here = context.Request.PathBase + context.Request.Path + QueryString.Create(
                context.Request.HasFormContentType ? (await context.Request.ReadFormAsync(cancellationToken)).ToList() : context.Request.Query.ToList());
            return Results.Challenge(new AuthenticationProperties { RedirectUri = here }, [SignInCookie.Scheme]);
        }

        // A new code from the same sign-in cookie ends with the cookie: opening another tab does not lengthen the session.
        // Its end is reckoned by the clock OpenIddict stamps the tokens by, so that the two agree.
        var now = (tokenServer.CurrentValue.TimeProvider ?? clock).GetUtcNow();
        var signIn = options.Value;
        var sessionEnds = (session.Properties?.IssuedUtc ?? now) + signIn.SessionLifetime;
        return Results.SignIn(
            PersonIdentity.For(user, request.GetScopes(), signIn.PersonAccessTokenLifetime, sessionEnds, now),
            authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
