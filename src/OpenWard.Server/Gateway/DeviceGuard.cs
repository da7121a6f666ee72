using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenWard.Server.Devices;
using OpenWard.Server.Storage;

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
/// <para>
/// On a cluster (<paramref name="shared"/> given) the nodes count together: a failed sign-in is counted
/// in the store, which answers with every node's count, and the other nodes hear of it by a store
/// signal (<see cref="DeviceLimitsSharing"/>), so that a pair backed off on one node is backed off on
/// all and failures on several nodes add up. What each node takes from an address's allowance is added
/// to a count in the store about once a second, and what the others took is taken from this node's
/// bucket. Messages per device stay per node (see <see cref="TryAcceptMessage"/>).
/// </para>
/// </summary>
public sealed partial class DeviceGuard(
    DeviceDirectory directory, IOptions<DeviceLimitsOptions> options, TimeProvider clock, ILogger<DeviceGuard> logger,
    StoreSignals? signals = null, DeviceLimitsStore? shared = null)
{
    /// <summary>
    /// The store signal topic of device sign-in failures counted or cleared in the store: the subject is
    /// <c>failed:</c> or <c>cleared:</c> and the device id.
    /// </summary>
    public const string FailuresTopic = "device-sign-in-failures";

    // Beyond this many tracked keys, expired entries are swept so that random ids cannot grow memory without bound.
    private const int SweepAbove = 10_000;
    private static readonly TimeSpan GuessingWindow = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<GuardKey, Failures> failures = new();
    private readonly ConcurrentDictionary<string, Failures> guessing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<GuardKey, Bucket> buckets = new();
    // On a cluster: what this node took from each address since its last round, and the address's count in the store as last seen.
    private readonly ConcurrentDictionary<string, long> addressTakes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AddressCount> addressCounts = new(StringComparer.Ordinal);
    private int takes;

    private DeviceLimitsOptions Limits => options.Value;

    /// <summary>
    /// Checks a device's credentials unless this device id from this address is waiting out its
    /// back-off or the address is over its request rate, and counts the outcome.
    /// </summary>
    public async ValueTask<DeviceAuthentication> SignInAsync(string deviceId, string? secret, string? address, CancellationToken cancellationToken)
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
            await RecordSuccessAsync(deviceId, address, cancellationToken);
        }
        else
        {
            await RecordFailureAsync(deviceId, address, cancellationToken);
        }

        return outcome;
    }

    /// <summary>How long this device id from this address must wait before its secret is checked again (zero: now).</summary>
    public TimeSpan BackOffRemaining(string deviceId, string? address)
    {
        var now = clock.GetUtcNow();
        return failures.TryGetValue(PairKey(deviceId, address), out var entry) && entry.NextCheckAt is { } next && next > now ? next - now : TimeSpan.Zero;
    }

    /// <summary>
    /// Counts a failed sign-in of the device id from the address; past the limit, the pair's next check
    /// waits twice as long as the last. On a cluster the count is every node's.
    /// </summary>
    public async ValueTask RecordFailureAsync(string deviceId, string? address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var here = RecordFailureHere(deviceId, address, now);
        if (shared is null)
        {
            WarnOfGuessing(deviceId, here);
            return;
        }

        try
        {
            var (pair, device) = await shared.RecordFailureAsync(
                deviceId, address ?? "", now, TimeSpan.FromMinutes(Limits.FailureWindowMinutes), GuessingWindow, cancellationToken);
            Heard(new PairFailures(deviceId, address ?? "", pair, now));
            // The store's count decides, so that the one node whose failure reaches the limit warns, once.
            WarnOfGuessing(deviceId, device);
            await TellOtherNodesAsync("failed:" + deviceId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The store unreachable: this node's own count still slows the guesser here.
            LogNotShared(logger, exception);
            WarnOfGuessing(deviceId, here);
        }
    }

    /// <summary>Counts the failure in this node's memory; returns the device id's failures within the hour, as this node counted them.</summary>
    private int RecordFailureHere(string deviceId, string? address, DateTimeOffset now)
    {
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

        return total.Count;
    }

    private Task TellOtherNodesAsync(string subject, CancellationToken cancellationToken) =>
        signals?.SendAsync(FailuresTopic, subject, cancellationToken) ?? Task.CompletedTask;

    private void WarnOfGuessing(string deviceId, int failuresWithinTheHour)
    {
        if (failuresWithinTheHour == Limits.GuessingAlertAfterFailures)
        {
            LogGuessing(logger, deviceId, failuresWithinTheHour);
        }
    }

    /// <summary>
    /// Takes a pair's failures as the store counted them (every node's), for its back-off here: a
    /// failure counted on another node, or this node's own answered by the store.
    /// </summary>
    public void Heard(PairFailures pair)
    {
        var limit = Limits.BackOffAfterFailures;
        var heard = new Failures(pair.Failures, pair.LastFailureAt, pair.Failures >= limit ? pair.LastFailureAt + BackOff(pair.Failures - limit + 1) : null);
        // The store counts every node's failures: its count stands, unless this node has failed the pair since.
        failures.AddOrUpdate(PairKey(pair.DeviceId, pair.Address), heard, (_, known) => known.Last > heard.Last ? known : heard);
    }

    /// <summary>
    /// Takes the store's pairs of <paramref name="deviceId"/>, read at <paramref name="readAt"/> after
    /// another node cleared one (its device signed in there with the right secret): each pair as counted
    /// there, and a pair no longer there forgotten here, unless it failed here since.
    /// </summary>
    public void HeardCleared(string deviceId, IReadOnlyList<PairFailures> pairs, DateTimeOffset readAt)
    {
        foreach (var pair in pairs)
        {
            Heard(pair);
        }

        // A look at every pair known here: clearing is rare (a success where failures were known), failing is not.
        foreach (var (key, entry) in failures)
        {
            if (key.Id == deviceId && entry.Last < readAt && !pairs.Any(pair => pair.Address == key.Address))
            {
                failures.TryRemove(new KeyValuePair<GuardKey, Failures>(key, entry));
            }
        }
    }

    /// <summary>The delay before the pair's next check after its <paramref name="beyond"/>-th failure past the limit: 1 s, 2 s, 4 s, … at most the maximum.</summary>
    private TimeSpan BackOff(int beyond) =>
        TimeSpan.FromSeconds(Math.Min(Limits.MaxBackOffSeconds, Limits.BackOffSeconds * Math.Pow(2, Math.Min(beyond - 1, 30))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sustained sign-in guessing: {Failures} failed sign-ins for device {DeviceId} within an hour; its secret is checked at most once a minute from each guessing address")]
    private static partial void LogGuessing(ILogger logger, string deviceId, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A failed device sign-in could not be counted in the store; it counts on this node only")]
    private static partial void LogNotShared(ILogger logger, Exception exception);

    /// <summary>
    /// A successful sign-in clears the failures of the device id from that address — on a cluster in
    /// the store too, when this node knew of any (a success with none known costs no round trip).
    /// </summary>
    public async ValueTask RecordSuccessAsync(string deviceId, string? address, CancellationToken cancellationToken)
    {
        if (failures.TryRemove(PairKey(deviceId, address), out _) && shared is not null)
        {
            try
            {
                await shared.ForgetPairAsync(deviceId, address ?? "", cancellationToken);
                await TellOtherNodesAsync("cleared:" + deviceId, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogNotShared(logger, exception);
            }
        }
    }

    /// <summary>Takes one message from the device's allowance; false when it is sending faster than allowed.</summary>
    /// <remarks>
    /// Counted on this node only, on a cluster too: the limit keeps one runaway device from starving the
    /// others of the node it sends through. A device's MQTT session lives on one node (a takeover moves it,
    /// and the new node's bucket starts full, as after a reconnect to one node); uploads spread over the
    /// nodes spread their cost with them. Sharing it would cost a round trip per message, or lag the
    /// count by about the second that is the limit's own span.
    /// </remarks>
    public bool TryAcceptMessage(string deviceId) => TryTake(DeviceKey(deviceId), Limits.Burst, Limits.MessagesPerSecond);

    /// <summary>
    /// Takes one connection or upload from the address's allowance; false when it comes faster than
    /// allowed. On a cluster the take is counted for the next round (<see cref="TakeAddressTakes"/>).
    /// </summary>
    public bool TryAcceptFromAddress(string? address)
    {
        if (address is null)
        {
            return true;
        }

        if (!TryTake(AddressKey(address), Limits.RequestsPerAddressPerMinute, Limits.RequestsPerAddressPerMinute / 60.0))
        {
            return false;
        }

        if (shared is not null)
        {
            addressTakes.AddOrUpdate(address, 1, (_, taken) => taken + 1);
        }

        return true;
    }

    /// <summary>What this node took from each address since the last call (on a cluster; nothing on one node).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> TakeAddressTakes()
    {
        var taken = new List<KeyValuePair<string, long>>();
        foreach (var address in addressTakes.Keys)
        {
            if (addressTakes.TryRemove(address, out var count))
            {
                taken.Add(new(address, count));
            }
        }

        return taken;
    }

    /// <summary>
    /// Takes the store's counts of addresses after this node added <paramref name="taken"/>: what the
    /// other nodes took since this node last looked is taken from this node's bucket for the address,
    /// down to a minute's debt at most — so that over time the nodes together take no more than one
    /// node may. In a new minute, everything counted there by others so far is theirs.
    /// </summary>
    public void HeardAddressCounts(IReadOnlyList<KeyValuePair<string, long>> taken, IReadOnlyDictionary<string, AddressCount> counts)
    {
        var capacity = (double)Limits.RequestsPerAddressPerMinute;
        foreach (var (address, mine) in taken)
        {
            if (!counts.TryGetValue(address, out var count))
            {
                continue;
            }

            var seen = addressCounts.TryGetValue(address, out var last) && last.Minute == count.Minute ? last.Taken : 0;
            addressCounts[address] = count;
            var others = count.Taken - seen - mine;
            if (others <= 0)
            {
                continue;
            }

            var key = AddressKey(address);
            var now = clock.GetUtcNow();
            while (buckets.TryGetValue(key, out var bucket))
            {
                var refilled = Math.Min(capacity, bucket.Tokens + (now - bucket.At).TotalSeconds * capacity / 60);
                if (buckets.TryUpdate(key, new Bucket(Math.Max(-capacity, refilled - others), now), bucket))
                {
                    break;
                }
            }
        }
    }

    /// <summary>Forgets the store counts of addresses last seen before <paramref name="minute"/>.</summary>
    public void ForgetAddressCountsBefore(long minute)
    {
        foreach (var (address, count) in addressCounts)
        {
            if (count.Minute < minute)
            {
                addressCounts.TryRemove(new KeyValuePair<string, AddressCount>(address, count));
            }
        }
    }

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
