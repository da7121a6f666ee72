using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Devices;

/// <summary>
/// Keeps attackers and runaway devices from costing anything: locks out a device id or a network
/// address after repeated failed sign-ins (before the slow secret check is even made), and limits
/// each device's message rate with a token bucket.
/// </summary>
public sealed class DeviceGuard(DeviceDirectory directory, IOptions<OpenWardOptions> options, TimeProvider clock)
{
    // Beyond this many tracked keys, expired entries are swept so that random ids cannot grow memory without bound.
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<GuardKey, Failures> failures = new();
    private readonly ConcurrentDictionary<GuardKey, Bucket> buckets = new();
    private int takes;

    private DeviceLimitsOptions Limits => options.Value.Devices;

    /// <summary>
    /// Checks a device's credentials unless the device id or the address is locked out or the address
    /// is over its request rate, and counts the outcome.
    /// </summary>
    public DeviceAuthentication SignIn(string deviceId, string? secret, string? address)
    {
        if (IsLockedOut(deviceId, address))
        {
            return DeviceAuthentication.LockedOut;
        }

        if (!TryAcceptFromAddress(address))
        {
            return DeviceAuthentication.TooManyRequests;
        }

        var outcome = directory.Authenticate(deviceId, secret);
        if (outcome == DeviceAuthentication.Accepted)
        {
            RecordSuccess(deviceId);
        }
        else
        {
            RecordFailure(deviceId, address);
        }

        return outcome;
    }

    /// <summary>Whether sign-ins for this device id or from this address are refused for now.</summary>
    public bool IsLockedOut(string deviceId, string? address)
    {
        var now = clock.GetUtcNow();
        return LockedAt(DeviceKey(deviceId), now) || (address is not null && LockedAt(AddressKey(address), now));
    }

    /// <summary>Counts a failed sign-in against the device id and the address.</summary>
    public void RecordFailure(string deviceId, string? address)
    {
        var now = clock.GetUtcNow();
        Count(DeviceKey(deviceId), Limits.LockoutAfterFailures, now);
        if (address is not null)
        {
            Count(AddressKey(address), Limits.AddressLockoutAfterFailures, now);
        }

        if (failures.Count > SweepAbove)
        {
            foreach (var (key, entry) in failures)
            {
                if (entry.WindowStart.AddMinutes(Limits.FailureWindowMinutes) < now && (entry.LockedUntil ?? DateTimeOffset.MinValue) < now)
                {
                    failures.TryRemove(key, out _);
                }
            }
        }
    }

    /// <summary>A successful sign-in clears the device id's failures.</summary>
    public void RecordSuccess(string deviceId) => failures.TryRemove(DeviceKey(deviceId), out _);

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

    private bool LockedAt(GuardKey key, DateTimeOffset now) => failures.TryGetValue(key, out var entry) && entry.LockedUntil > now;

    private void Count(GuardKey key, int limit, DateTimeOffset now) =>
        failures.AddOrUpdate(key,
            _ => new Failures(1, now, limit <= 1 ? now.AddMinutes(Limits.LockoutMinutes) : null),
            (_, entry) =>
            {
                var fresh = entry.WindowStart.AddMinutes(Limits.FailureWindowMinutes) < now;
                var count = fresh ? 1 : entry.Count + 1;
                return new Failures(count, fresh ? now : entry.WindowStart,
                    count >= limit ? now.AddMinutes(Limits.LockoutMinutes) : entry.LockedUntil);
            });

    private static GuardKey DeviceKey(string deviceId) => new(IsDevice: true, deviceId);

    private static GuardKey AddressKey(string address) => new(IsDevice: false, address);

    // A device and a network address are counted apart even if their texts are equal.
    private readonly record struct GuardKey(bool IsDevice, string Id);

    private sealed record Failures(int Count, DateTimeOffset WindowStart, DateTimeOffset? LockedUntil);

    private sealed record Bucket(double Tokens, DateTimeOffset At);
}
