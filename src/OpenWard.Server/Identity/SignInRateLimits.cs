using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using OpenWard.Server.Hosting;
using OpenWard.Server.People;

namespace OpenWard.Server.Identity;

/// <summary>
/// Per-address limits on the sign-in form and the token endpoint, so that guessing passwords or
/// client secrets across many accounts is slow even before any one account locks (answer: 429 with
/// <c>Retry-After</c>).
/// </summary>
public static class SignInRateLimits
{
    /// <summary>The policy for the sign-in form.</summary>
    public const string SignInForm = "sign-in-form";

    /// <summary>The policy for the token endpoint.</summary>
    public const string TokenRequests = "token-requests";

    /// <summary>Registers the limits from <c>OpenWard:SignIn</c>.</summary>
    public static WebApplicationBuilder AddSignInRateLimits(this WebApplicationBuilder builder)
    {
        var settings = ValidatedOptions.Read<SignInOptions>(builder.Configuration, SignInOptions.Section);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Tell the caller when to come back (the window's end), as RFC 6585 suggests.
            limiter.OnRejected = (rejected, _) =>
            {
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    rejected.HttpContext.Response.Headers.RetryAfter =
                        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
            limiter.AddPolicy(SignInForm, context => PerAddress(context, settings.SignInAttemptsPerMinute));
            limiter.AddPolicy(TokenRequests, context => PerAddress(context, settings.TokenRequestsPerMinute));
        });
        return builder;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
