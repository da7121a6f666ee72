using System.Threading.RateLimiting;

namespace OpenWard.Server.Identity;

/// <summary>
/// On a cluster, one network address's allowance at the sign-in form or the token endpoint, counted
/// in the store by <see cref="SignInAttemptCounts"/> so that every node refuses at the same count. The
/// count is only ever asked asynchronously: ASP.NET's rate limiting first tries without waiting, which
/// this refuses, and then waits for <see cref="AcquireAsyncCore"/>, which asks the store.
/// </summary>
public sealed class SharedAttemptLimiter(SignInAttemptCounts counts, string purpose, string address, int perMinute, TimeProvider clock) : RateLimiter
{
    private long lastUsed = clock.GetTimestamp();

    /// <inheritdoc />
    // Nothing is kept here between attempts: the limiter may be dropped as soon as it is idle.
    public override TimeSpan? IdleDuration => clock.GetElapsedTime(Interlocked.Read(ref lastUsed));

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics() => null;

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => new Answer(acquired: false, retryAfter: null);

    /// <inheritdoc />
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref lastUsed, clock.GetTimestamp());
        var (attempts, windowEnds) = await counts.CountAsync(purpose, address, cancellationToken);
        return attempts <= perMinute ? new Answer(acquired: true, retryAfter: null) : new Answer(acquired: false, windowEnds - clock.GetUtcNow());
    }

    private sealed class Answer(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
