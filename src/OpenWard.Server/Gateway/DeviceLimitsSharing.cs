using Microsoft.Extensions.Options;
using OpenWard.Server.Devices;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Gateway;

/// <summary>
/// On a cluster, keeps this node's <see cref="DeviceGuard"/> counting with the others'. Failed sign-ins
/// are counted in the store as they happen; this hears each other node's (a store signal naming the device
/// id) and reads that device id's pairs — forgetting those another node cleared — and after missing signals reads every pair that failed within the
/// window. Each second it adds what this node took from each address's allowance to the address's count
/// in the store and takes what the others took from this node's buckets — so an address's allowance holds
/// across the nodes within about a second. Once a minute it deletes counts that no longer count.
/// </summary>
public sealed class DeviceLimitsSharing(
    DeviceGuard guard, DeviceLimitsStore store, StoreSignals signals, IOptions<DeviceLimitsOptions> options, TimeProvider clock, ILogger<DeviceLimitsSharing> logger)
    : PeriodicCheck(TimeSpan.FromSeconds(1), clock, logger)
{
    // An address's count for a minute this long ago is forgotten (a bucket refills in one minute).
    private const long AddressMinutesKept = 10;
    private static readonly TimeSpan GuessingWindow = TimeSpan.FromHours(1);

    private DateTimeOffset lastSwept = DateTimeOffset.MinValue;

    // A pair's last failure counts for its window, and sets its back-off for up to the longest delay.
    private TimeSpan PairsKept => TimeSpan.FromSeconds(Math.Max(options.Value.FailureWindowMinutes * 60, options.Value.MaxBackOffSeconds));

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        signals.Listen(DeviceGuard.FailuresTopic, HeardAsync, CatchUpAsync);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        var taken = guard.TakeAddressTakes();
        if (taken.Count > 0)
        {
            guard.HeardAddressCounts(taken, await store.AddTakesAsync(taken, minute, cancellationToken));
        }

        if (now - lastSwept >= TimeSpan.FromMinutes(1))
        {
            lastSwept = now;
            await store.ForgetStaleAsync(now - PairsKept, now - GuessingWindow, minute - AddressMinutesKept, cancellationToken);
            guard.ForgetAddressCountsBefore(minute - AddressMinutesKept);
        }
    }

    // "failed:<device id>" or "cleared:<device id>".
    private async Task HeardAsync(StoreSignal signal, CancellationToken cancellationToken)
    {
        var readAt = Clock.GetUtcNow();
        var (what, deviceId) = signal.Subject.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
            ? (signal.Subject[..colon], signal.Subject[(colon + 1)..])
            : ("", "");
        if (what == "failed")
        {
            foreach (var pair in await store.FailuresOfAsync(deviceId, cancellationToken))
            {
                guard.Heard(pair);
            }
        }
        else if (what == "cleared")
        {
            guard.HeardCleared(deviceId, await store.FailuresOfAsync(deviceId, cancellationToken), readAt);
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var since = Clock.GetUtcNow() - PairsKept;
        foreach (var pair in await store.FailuresSinceAsync(since, cancellationToken))
        {
            guard.Heard(pair);
        }
    }
}
