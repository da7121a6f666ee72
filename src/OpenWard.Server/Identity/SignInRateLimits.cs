using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using OpenWard.Server.Cluster;
using OpenWard.Server.Hosting;
using OpenWard.Server.People;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Identity;

/// <summary>
/// Per-address limits on the sign-in form and the token endpoint, so that guessing passwords or
/// client secrets across many accounts is slow even before any one account locks (answer: 429 with
/// <c>Retry-After</c>). One node counts in memory (a fixed window per address); the nodes of a cluster
/// count each attempt in the store (<see cref="SharedAttemptLimiter"/>), so that an address has one
/// allowance across them all.
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
        var shared = ValidatedOptions.Read<ClusterSettings>(builder.Configuration, ClusterSettings.Section).Enabled;
        builder.Services.AddFeatureSchema(SignInLimitsSchema.Definition);
        if (shared)
        {
            builder.Services.AddSingleton<SignInAttemptCounts>();
        }

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
            limiter.AddPolicy(SignInForm, context => PerAddress(context, SignInForm, settings.SignInAttemptsPerMinute, shared));
            limiter.AddPolicy(TokenRequests, context => PerAddress(context, TokenRequests, settings.TokenRequestsPerMinute, shared));
        });
        return builder;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, string purpose, int perMinute, bool shared)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return shared
            ? RateLimitPartition.Get(address, _ => new SharedAttemptLimiter(
                context.RequestServices.GetRequiredService<SignInAttemptCounts>(), purpose, address, perMinute, context.RequestServices.GetRequiredService<TimeProvider>()))
            : RateLimitPartition.GetFixedWindowLimiter(address,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = SignInAttemptCounts.Window, QueueLimit = 0 });
    }
}
