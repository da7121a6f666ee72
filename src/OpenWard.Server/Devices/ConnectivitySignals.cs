using System.Globalization;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Devices;

/// <summary>
/// Tells the other nodes sharing the store which devices this node holds, and hears what they hold
/// (<see cref="StoreSignals"/>), so that every node's <see cref="DeviceConnectivity"/> knows a device
/// connected anywhere: each second the connects and disconnects since the last round, and every minute
/// the whole list again (a lease: a node that died stops saying it, and its devices count as gone three
/// minutes after it last did). A device that connects through another node while its older session
/// lingers here loses the older session, as it would by connecting twice to one node.
/// </summary>
public sealed class ConnectivitySignals(
    DeviceConnectivity connectivity, IDeviceSessions sessions, StoreSignals signals, TimeProvider clock, ILogger<ConnectivitySignals> logger)
    : PeriodicCheck(TimeSpan.FromSeconds(1), clock, logger)
{
    private const string Topic = "connection";
    private const int IdsPerSignal = 100;
    private static readonly TimeSpan SayAgainEvery = TimeSpan.FromMinutes(1);

    private DateTimeOffset lastSaid = DateTimeOffset.MinValue;

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        signals.Listen(Topic, HeardAsync);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var change in connectivity.TakeChangesToTell())
        {
            await SendAsync(change.Connected ? "connected" : "disconnected", change.At, [change.DeviceId], cancellationToken);
        }

        var now = Clock.GetUtcNow();
        if (now - lastSaid >= SayAgainEvery)
        {
            lastSaid = now;
            foreach (var chunk in connectivity.ConnectedHere().Chunk(IdsPerSignal))
            {
                await SendAsync("here", now, chunk, cancellationToken);
            }
        }
    }

    private Task SendAsync(string kind, DateTimeOffset at, IEnumerable<string> deviceIds, CancellationToken cancellationToken) =>
        signals.SendAsync(Topic, string.Create(CultureInfo.InvariantCulture, $"{kind}:{at.ToUnixTimeMilliseconds()}:{string.Join(',', deviceIds)}"), cancellationToken);

    // "connected|disconnected|here:<Unix ms>:<device ids>".
    private async Task HeardAsync(StoreSignal signal, CancellationToken cancellationToken)
    {
        var parts = signal.Subject.Split(':', 3);
        if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return;
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        foreach (var deviceId in parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (parts[0] == "disconnected")
            {
                connectivity.HeardDisconnectedElsewhere(deviceId, signal.Node, at);
            }
            else if (connectivity.HeardConnectedElsewhere(deviceId, signal.Node, at) && parts[0] == "connected")
            {
                // A new connection there, and an older session here: the device moved.
                await sessions.HandOverDeviceAsync(deviceId);
            }
        }
    }
}
