using System.Collections.Concurrent;

namespace OpenWard.Server.Devices;

/// <summary>
/// Which devices hold an MQTT connection, and since when the others have had none; when each device
/// last sent anything and the battery charge it last reported. The gateway records connects,
/// disconnects and messages in memory (no I/O in the broker's hooks); <see cref="DeviceStatusRecorder"/>
/// keeps last seen, battery and whether each device was connected in the store and brings them back
/// after a restart. The
/// <see cref="Alerts.DeviceOfflineWatcher"/> turns long absences into alerts, and the fleet list shows the rest.
/// </summary>
public sealed class DeviceConnectivity(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, State> devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> lastSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> battery = new(StringComparer.Ordinal);

    /// <summary>The device sent a message (called for every message accepted; a value written in place, no allocation).</summary>
    public void Seen(string deviceId) => lastSeen[deviceId] = clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The device reported its battery charge (percent).</summary>
    public void BatteryReported(string deviceId, double percent) => battery[deviceId] = percent;

    /// <summary>When the device last sent anything, if it has.</summary>
    public DateTimeOffset? LastSeen(string deviceId) =>
        lastSeen.TryGetValue(deviceId, out var at) ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null;

    /// <summary>The battery charge the device last reported, if any.</summary>
    public double? Battery(string deviceId) => battery.TryGetValue(deviceId, out var percent) ? percent : null;

    /// <summary>What the store held for a device when the server started.</summary>
    public void Restore(string deviceId, DateTimeOffset? seen, double? percent)
    {
        if (seen is { } at)
        {
            lastSeen.TryAdd(deviceId, at.ToUnixTimeMilliseconds());
        }

        if (percent is { } charge)
        {
            battery.TryAdd(deviceId, charge);
        }
    }

    /// <summary>
    /// A device the store knew as connected, or as reported offline, before the server started:
    /// without a connection since <paramref name="since"/>, so that it is reported offline if it does not
    /// come back, and its open "device offline" alert (<paramref name="reported"/>) is resolved if it does.
    /// </summary>
    public void AbsentSince(string deviceId, DateTimeOffset since, bool reported) =>
        devices.AddOrUpdate(deviceId, _ => new State(0, since, reported), (_, s) => s.Sessions > 0 ? s : new State(0, since, reported));

    /// <summary>Every device's last seen time (Unix milliseconds), battery charge and whether it holds a connection, as known now.</summary>
    public IEnumerable<(string DeviceId, long LastSeen, double? Battery, bool Connected)> Telemetry() =>
        lastSeen.Select(e => (e.Key, e.Value, Battery(e.Key), IsConnected(e.Key)));

    /// <summary>A session of the device connected (which counts as hearing from it).</summary>
    public void Connected(string deviceId)
    {
        Seen(deviceId);
        devices.AddOrUpdate(deviceId, _ => new State(1, null, Reported: false), (_, s) => s with { Sessions = s.Sessions + 1, OfflineSince = null });
    }

    /// <summary>A session of the device ended.</summary>
    public void Disconnected(string deviceId, DateTimeOffset at) =>
        devices.AddOrUpdate(deviceId, _ => new State(0, at, Reported: false), (_, s) =>
            s.Sessions > 1 ? s with { Sessions = s.Sessions - 1 } : s with { Sessions = 0, OfflineSince = at });

    /// <summary>Whether the device holds an MQTT connection now.</summary>
    public bool IsConnected(string deviceId) => devices.TryGetValue(deviceId, out var state) && state.Sessions > 0;

    /// <summary>Devices without a connection for at least <paramref name="after"/> that have not been reported; marks them reported.</summary>
    public IReadOnlyList<(string DeviceId, DateTimeOffset Since)> NewlyOffline(DateTimeOffset now, TimeSpan after)
    {
        var found = new List<(string, DateTimeOffset)>();
        foreach (var (id, state) in devices)
        {
            if (state is { Sessions: 0, OfflineSince: { } since, Reported: false } && now - since >= after
                && devices.TryUpdate(id, state with { Reported = true }, state))
            {
                found.Add((id, since));
            }
        }

        return found;
    }

    /// <summary>Devices reported offline that have connected again; forgets that they were reported.</summary>
    public IReadOnlyList<string> BackOnline()
    {
        var found = new List<string>();
        foreach (var (id, state) in devices)
        {
            if (state is { Reported: true, Sessions: > 0 } && devices.TryUpdate(id, state with { Reported = false }, state))
            {
                found.Add(id);
            }
        }

        return found;
    }

    private sealed record State(int Sessions, DateTimeOffset? OfflineSince, bool Reported);
}
