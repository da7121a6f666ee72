using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;
using OpenWard.Server.Access;
using OpenWard.Server.People;

namespace OpenWard.Server.Identity;

/// <summary>
/// Refuses a person's access token whose sessions have ended since it was issued. Ending sessions
/// revokes the tokens that exist, but a refresh that was being answered at that moment can still
/// issue one; its session generation is then an old one, and it is refused here.
/// </summary>
public static class EndedSessionRefusal
{
    /// <summary>Answers 401, as for any dead token, wherever such a token is presented for a route that needs a sign-in.</summary>
    public static IApplicationBuilder UseEndedSessionRefusal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.FindFirst(Caller.SessionClaim) is not null
            && context.User.FindFirst("sub")?.Value is { } userId
            && context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null)
        {
            var standing = await context.RequestServices.GetRequiredService<UserDirectory>().SessionStandingAsync(userId, context.RequestAborted);
            if (standing is not { } current || !PersonIdentity.IsCurrent(context.User, current))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers[HeaderNames.WWWAuthenticate] =
                    "Bearer error=\"invalid_token\", error_description=\"the sign-in has ended; sign in again\"";
                return;
            }
        }

        await next(context);
    });
}
