using System.Collections.Concurrent;

namespace OpenWard.Server.Devices;

/// <summary>
/// Which devices hold an MQTT connection, and since when the others have had none; when each device
/// last sent anything and the battery charge it reported in its latest reading by device time. The gateway records connects,
/// disconnects and messages in memory (no I/O in the broker's hooks); <see cref="DeviceStatusRecorder"/>
/// keeps last seen, battery and whether each device was connected in the store and brings them back
/// after a restart. The
/// <see cref="Alerts.DeviceOfflineWatcher"/> turns long absences into alerts, and the fleet list shows the rest.
/// On several nodes sharing a store, each node also knows which devices the others hold, as they tell
/// it (<see cref="ConnectivitySignals"/>): a device is offline only when no node holds it.
/// </summary>
public sealed class DeviceConnectivity(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, State> devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> lastSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BatteryCharge> battery = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReportingGaps> reporting = new(StringComparer.Ordinal);

    // Devices connected to other nodes sharing the store: device → node → until when that holds unless the node says it again.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, DateTimeOffset>> elsewhere = new(StringComparer.Ordinal);

    // This node's connects and disconnects, for the other nodes (ConnectivitySignals sends them; no I/O here).
    private readonly ConcurrentQueue<Change> toTell = new();

    /// <summary>
    /// How long a device heard of as connected to another node counts as connected there: each node says
    /// again which devices it holds every <see cref="ConnectivitySignals"/> round, well within this, so that
    /// the devices of a node that died are known to be gone one lease after it last spoke.
    /// </summary>
    public static readonly TimeSpan ElsewhereLease = TimeSpan.FromMinutes(3);

    /// <summary>The time on the clock that connections and messages are timed by, against which absences are measured.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    // Set as the server stops (ClosingAllConnections): disconnects are no longer the devices'.
    private volatile bool closingAll;

    /// <summary>The device sent a message (called for every message accepted; a value written in place, no allocation).</summary>
    public void Seen(string deviceId) => lastSeen[deviceId] = clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// The device reported its battery charge (percent) in a reading taken at <paramref name="takenAt"/> (device
    /// time). A charge taken before the one known is ignored: readings may be committed out of order.
    /// </summary>
    public void BatteryReported(string deviceId, double percent, DateTimeOffset takenAt)
    {
        var charge = new BatteryCharge(percent, takenAt.ToUnixTimeMilliseconds());
        battery.AddOrUpdate(deviceId, charge, (_, known) => charge.Supersedes(known) ? charge : known);
    }

    /// <summary>When the device last sent anything, if it has.</summary>
    public DateTimeOffset? LastSeen(string deviceId) =>
        lastSeen.TryGetValue(deviceId, out var at) ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null;

    /// <summary>The battery charge (percent) of the device's latest reading of it by device time, if any.</summary>
    public double? Battery(string deviceId) => BatteryOf(deviceId)?.Percent;

    /// <summary>The battery charge of the device's latest reading of it by device time, with that time, if any.</summary>
    public BatteryCharge? BatteryOf(string deviceId) => battery.TryGetValue(deviceId, out var charge) ? charge : null;

    /// <summary>The device's latest reporting gaps, from which its expected reporting interval is learnt.</summary>
    public ReportingGaps GapsOf(string deviceId) => reporting.TryGetValue(deviceId, out var gaps) ? gaps : ReportingGaps.None;

    /// <summary>What the store held for a device when the server started.</summary>
    public void Restore(string deviceId, DateTimeOffset? seen, BatteryCharge? charge, ReportingGaps? gaps = null)
    {
        if (gaps is { Gaps.Length: > 0 })
        {
            reporting.TryAdd(deviceId, gaps);
        }

        if (seen is { } at)
        {
            lastSeen.TryAdd(deviceId, at.ToUnixTimeMilliseconds());
        }

        if (charge is { } known)
        {
            battery.TryAdd(deviceId, known);
        }
    }

    /// <summary>
    /// A device the store knew as connected, or as reported offline, before the server started:
    /// without a connection since <paramref name="since"/>, so that it is reported offline if it does not
    /// come back, and its open "device offline" alert (<paramref name="reported"/>) is resolved if it does.
    /// </summary>
    public void AbsentSince(string deviceId, DateTimeOffset since, bool reported) =>
        devices.AddOrUpdate(deviceId, _ => new State(0, since, reported, null), (_, s) => s.Sessions > 0 ? s : new State(0, since, reported, null));

    /// <summary>Every device's last seen time (Unix milliseconds), battery charge, whether it holds a connection and its reporting gaps, as known now.</summary>
    public IEnumerable<(string DeviceId, long LastSeen, BatteryCharge? Battery, bool Connected, ReportingGaps Gaps)> Telemetry() =>
        lastSeen.Select(e => (e.Key, e.Value, BatteryOf(e.Key), IsConnected(e.Key), GapsOf(e.Key)));

    /// <summary>
    /// A session of the device connected (which counts as hearing from it); the time since it was last
    /// heard from is one more of its reporting gaps.
    /// </summary>
    public void Connected(string deviceId)
    {
        var now = clock.GetUtcNow();
        if (LastSeen(deviceId) is { } before && now > before)
        {
            reporting.AddOrUpdate(deviceId, _ => ReportingGaps.None.With(now - before), (_, gaps) => gaps.With(now - before));
        }

        Seen(deviceId);
        devices.AddOrUpdate(deviceId, _ => new State(1, null, Reported: false, now), (_, s) => s with { Sessions = s.Sessions + 1, OfflineSince = null, ConnectedAt = now, CameBack = s.Reported });
        toTell.Enqueue(new Change(deviceId, Connected: true, now));
    }

    /// <summary>A session of the device ended.</summary>
    public void Disconnected(string deviceId, DateTimeOffset at)
    {
        if (closingAll)
        {
            // The server closed it as it stops: the device did not go away.
            return;
        }

        var state = devices.AddOrUpdate(deviceId, _ => new State(0, at, Reported: false, null), (_, s) =>
            s.Sessions > 1 ? s with { Sessions = s.Sessions - 1 } : s with { Sessions = 0, OfflineSince = ConnectedElsewhere(deviceId) ? null : at });
        if (state.Sessions == 0)
        {
            toTell.Enqueue(new Change(deviceId, Connected: false, at));
        }
    }

    /// <summary>
    /// The server is closing every device connection as it stops: from now on a closed connection is not the device
    /// going away, so the devices connected now stay known as connected when their status is last written, and are
    /// reported offline after the restart if they do not come back.
    /// </summary>
    public void ClosingAllConnections() => closingAll = true;

    /// <summary>Whether the device holds an MQTT connection now, to this node or (as last heard) to another.</summary>
    public bool IsConnected(string deviceId) =>
        (devices.TryGetValue(deviceId, out var state) && state.Sessions > 0) || ConnectedElsewhere(deviceId);

    /// <summary>Devices without a connection anywhere for at least <paramref name="after"/> that have not been reported; marks them reported.</summary>
    public IReadOnlyList<(string DeviceId, DateTimeOffset Since)> NewlyOffline(DateTimeOffset now, TimeSpan after) => NewlyOffline(now, _ => after);

    /// <summary>
    /// Devices without a connection anywhere for at least as long as <paramref name="after"/> says for each
    /// (its expected reporting interval) that have not been reported; marks them reported.
    /// </summary>
    public IReadOnlyList<(string DeviceId, DateTimeOffset Since)> NewlyOffline(DateTimeOffset now, Func<string, TimeSpan> after)
    {
        var found = new List<(string, DateTimeOffset)>();
        foreach (var (id, state) in devices)
        {
            if (state is not { Sessions: 0, Reported: false } || ConnectedElsewhere(id))
            {
                continue;
            }

            // Heard of as connected to another node, which has not said so again: gone since that node last said it.
            var since = state.OfflineSince ?? LapsedElsewhere(id);
            if (since is { } offline && now - offline >= after(id) && devices.TryUpdate(id, state with { OfflineSince = offline, Reported = true }, state))
            {
                found.Add((id, offline));
            }
        }

        return found;
    }

    /// <summary>Devices reported offline that have connected again (here, if only for a moment, or elsewhere); forgets that they were reported.</summary>
    public IReadOnlyList<string> BackOnline()
    {
        var found = new List<string>();
        foreach (var (id, state) in devices)
        {
            // A device that came back counts even if it has left again since (a scale connects for a moment): its absence starts anew.
            var here = state.Sessions > 0 || ConnectedElsewhere(id);
            if (state.Reported && (here || state.CameBack)
                && devices.TryUpdate(id, state with { Reported = false, CameBack = false, OfflineSince = here ? null : state.OfflineSince }, state))
            {
                found.Add(id);
            }
        }

        return found;
    }

    /// <summary>The connects and disconnects of this node's devices not yet told to the other nodes, oldest first.</summary>
    public IReadOnlyList<Change> TakeChangesToTell()
    {
        var changes = new List<Change>();
        while (toTell.TryDequeue(out var change))
        {
            changes.Add(change);
        }

        return changes;
    }

    /// <summary>The devices connected to this node now.</summary>
    public IReadOnlyList<string> ConnectedHere() => [.. devices.Where(e => e.Value.Sessions > 0).Select(e => e.Key)];

    /// <summary>
    /// Another node holds a connection of the device, as of <paramref name="at"/>, and will say so again
    /// within <see cref="ElsewhereLease"/>. Returns whether this node holds an older session of the device,
    /// which the newer connection takes over.
    /// </summary>
    public bool HeardConnectedElsewhere(string deviceId, string node, DateTimeOffset at)
    {
        var until = clock.GetUtcNow() + ElsewhereLease;
        elsewhere.GetOrAdd(deviceId, _ => new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal))[node] = until;
        var state = devices.AddOrUpdate(deviceId, _ => new State(0, null, Reported: false, null), (_, s) => s with { OfflineSince = null });
        return state.Sessions > 0 && state.ConnectedAt < at;
    }

    /// <summary>Another node's last connection of the device ended at <paramref name="at"/>.</summary>
    public void HeardDisconnectedElsewhere(string deviceId, string node, DateTimeOffset at)
    {
        if (elsewhere.TryGetValue(deviceId, out var nodes))
        {
            nodes.TryRemove(node, out _);
        }

        if (!ConnectedElsewhere(deviceId))
        {
            devices.AddOrUpdate(deviceId, _ => new State(0, at, Reported: false, null), (_, s) => s.Sessions > 0 || s.OfflineSince is not null ? s : s with { OfflineSince = at });
        }
    }

    private bool ConnectedElsewhere(string deviceId)
    {
        if (!elsewhere.TryGetValue(deviceId, out var nodes))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        return nodes.Values.Any(until => until > now);
    }

    // When the device was last said to be connected to another node whose lease has lapsed, if any.
    private DateTimeOffset? LapsedElsewhere(string deviceId) =>
        elsewhere.TryGetValue(deviceId, out var nodes) && !nodes.IsEmpty ? nodes.Values.Max() - ElsewhereLease : null;

    /// <summary>A device connected to, or disconnected from, this node at a moment.</summary>
    public sealed record Change(string DeviceId, bool Connected, DateTimeOffset At);

    // CameBack: connected again since it was reported offline, whether or not it is still connected.
    private sealed record State(int Sessions, DateTimeOffset? OfflineSince, bool Reported, DateTimeOffset? ConnectedAt, bool CameBack = false);
}
