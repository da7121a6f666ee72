using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenWard.Server.Devices;

namespace OpenWard.Server.Gateway;

/// <summary>
/// Keeps attackers and runaway devices from costing anything, without letting a guesser silence a
/// device: failed sign-ins are counted per device id and network address together, and after a few
/// that pair's next checks are spaced out with delays that double (1 s, 2 s, 4 s, … at most a
/// minute), refused without the slow secret check in between. The device holding the right secret
/// elsewhere is never slowed; behind the guesser's own address (a home hub, a ward gateway, a NAT) its
/// secret is still checked at least once a minute and accepted. Sustained guessing at one device id
/// is reported to administrators. Each device's message rate is limited with a token bucket, and each
/// address's connections with another.
/// </summary>
public sealed partial class DeviceGuard(DeviceDirectory directory, IOptions<DeviceLimitsOptions> options, TimeProvider clock, ILogger<DeviceGuard> logger)
{
    // Beyond this many tracked keys, expired entries are swept so that random ids cannot grow memory without bound.
    private const int SweepAbove = 10_000;
    private static readonly TimeSpan GuessingWindow = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<GuardKey, Failures> failures = new();
    private readonly ConcurrentDictionary<string, Failures> guessing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<GuardKey, Bucket> buckets = new();
    private int takes;

    private DeviceLimitsOptions Limits => options.Value;

    /// <summary>
    /// Checks a device's credentials unless this device id from this address is waiting out its
    /// back-off or the address is over its request rate, and counts the outcome.
    /// </summary>
    public DeviceAuthentication SignIn(string deviceId, string? secret, string? address)
    {
        if (BackOffRemaining(deviceId, address) > TimeSpan.Zero)
        {
            return DeviceAuthentication.BackingOff;
        }

        if (!TryAcceptFromAddress(address))
        {
            return DeviceAuthentication.TooManyRequests;
        }

        var outcome = directory.Authenticate(deviceId, secret);
        if (outcome == DeviceAuthentication.Accepted)
        {
            RecordSuccess(deviceId, address);
        }
        else
        {
            RecordFailure(deviceId, address);
        }

        return outcome;
    }

    /// <summary>How long this device id from this address must wait before its secret is checked again (zero: now).</summary>
    public TimeSpan BackOffRemaining(string deviceId, string? address)
    {
        var now = clock.GetUtcNow();
        return failures.TryGetValue(PairKey(deviceId, address), out var entry) && entry.NextCheckAt is { } next && next > now ? next - now : TimeSpan.Zero;
    }

    /// <summary>Counts a failed sign-in of the device id from the address; past the limit, the pair's next check waits twice as long as the last.</summary>
    public void RecordFailure(string deviceId, string? address)
    {
        var now = clock.GetUtcNow();
        var limit = Limits.BackOffAfterFailures;
        failures.AddOrUpdate(PairKey(deviceId, address),
            _ => new Failures(1, now, limit <= 1 ? now + BackOff(1) : null),
            (_, entry) =>
            {
                // A pair quiet for the window starts afresh; a slow guesser never is.
                var count = entry.Last.AddMinutes(Limits.FailureWindowMinutes) < now ? 1 : entry.Count + 1;
                return new Failures(count, now, count >= limit ? now + BackOff(count - limit + 1) : null);
            });
        var total = guessing.AddOrUpdate(deviceId,
            _ => new Failures(1, now, null),
            (_, entry) => new Failures(entry.Last + GuessingWindow < now ? 1 : entry.Count + 1, now, null));
        if (total.Count == Limits.GuessingAlertAfterFailures)
        {
            LogGuessing(logger, deviceId, total.Count);
        }

        if (failures.Count > SweepAbove)
        {
            foreach (var (key, entry) in failures)
            {
                if (entry.Last.AddMinutes(Limits.FailureWindowMinutes) < now)
                {
                    failures.TryRemove(key, out _);
                }
            }

            foreach (var (key, entry) in guessing)
            {
                if (entry.Last + GuessingWindow < now)
                {
                    guessing.TryRemove(key, out _);
                }
            }
        }
    }

    /// <summary>The delay before the pair's next check after its <paramref name="beyond"/>-th failure past the limit: 1 s, 2 s, 4 s, … at most the maximum.</summary>
    private TimeSpan BackOff(int beyond) =>
        TimeSpan.FromSeconds(Math.Min(Limits.MaxBackOffSeconds, Limits.BackOffSeconds * Math.Pow(2, Math.Min(beyond - 1, 30))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sustained sign-in guessing: {Failures} failed sign-ins for device {DeviceId} within an hour; its secret is checked at most once a minute from each guessing address")]
    private static partial void LogGuessing(ILogger logger, string deviceId, int failures);

    /// <summary>A successful sign-in clears the failures of the device id from that address.</summary>
    public void RecordSuccess(string deviceId, string? address) => failures.TryRemove(PairKey(deviceId, address), out _);

    /// <summary>Takes one message from the device's allowance; false when it is sending faster than allowed.</summary>
    public bool TryAcceptMessage(string deviceId) => TryTake(DeviceKey(deviceId), Limits.Burst, Limits.MessagesPerSecond);

    /// <summary>Takes one connection or upload from the address's allowance; false when it comes faster than allowed.</summary>
    public bool TryAcceptFromAddress(string? address) =>
        address is null || TryTake(AddressKey(address), Limits.RequestsPerAddressPerMinute, Limits.RequestsPerAddressPerMinute / 60.0);

    private bool TryTake(GuardKey key, double capacity, double perSecond)
    {
        var now = clock.GetUtcNow();
        // Counting a concurrent dictionary takes all of its locks: look only every 1,024th message.
        if ((Interlocked.Increment(ref takes) & 1023) == 0 && buckets.Count > SweepAbove * 5)
        {
            // Buckets idle for ten minutes are full again: forgetting them changes nothing.
            foreach (var (idle, bucket) in buckets)
            {
                if (bucket.At < now.AddMinutes(-10))
                {
                    buckets.TryRemove(idle, out _);
                }
            }
        }

        while (true)
        {
            var bucket = buckets.GetOrAdd(key, _ => new Bucket(capacity, now));
            var refilled = Math.Min(capacity, bucket.Tokens + (now - bucket.At).TotalSeconds * perSecond);
            if (refilled < 1)
            {
                return false;
            }

            if (buckets.TryUpdate(key, new Bucket(refilled - 1, now), bucket))
            {
                return true;
            }
        }
    }

    private static GuardKey DeviceKey(string deviceId) => new(IsDevice: true, deviceId);

    private static GuardKey AddressKey(string address) => new(IsDevice: false, address);

    private static GuardKey PairKey(string deviceId, string? address) => new(IsDevice: true, deviceId, address ?? "");

    // A device and a network address are counted apart even if their texts are equal.
    private readonly record struct GuardKey(bool IsDevice, string Id, string Address = "");

    private sealed record Failures(int Count, DateTimeOffset Last, DateTimeOffset? NextCheckAt);

    private sealed record Bucket(double Tokens, DateTimeOffset At);
}
