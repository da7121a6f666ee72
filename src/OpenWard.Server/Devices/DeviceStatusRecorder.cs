using System.Data;
using OpenWard.Core.Readings;
using OpenWard.Core.Vitals;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Devices;

/// <summary>
/// Keeps each device's last seen time, battery charge (as the latest committed reading of the device's battery
/// by device time reports it, <see cref="Committed"/>), whether it holds an MQTT connection and its latest reporting gaps
/// (<see cref="ReportingGaps"/>) in the store (<c>devices.last_seen</c>, <c>battery_percent</c> and <c>battery_at</c>,
/// <c>connected</c>, <c>reporting_gaps</c>): what changed is written
/// once a minute and as the server begins to stop, and read back at start. So the fleet list still knows when a device
/// was last heard from after a restart; a device connected before the restart that does not come
/// back is reported offline (counted from the start, not from the last write). (A device whose
/// "device offline" alert is still open is picked up by <see cref="Alerts.DeviceOfflineWatcher"/> from
/// the alert itself.) A crash loses at most the last minute's changes of this telemetry; readings are
/// not affected.
/// </summary>
public sealed class DeviceStatusRecorder(ClinicalDatabase database, DeviceConnectivity connectivity, TimeProvider clock, ILogger<DeviceStatusRecorder> logger)
    : PeriodicCheck(Period, clock, logger), IHostedLifecycleService
{
    /// <summary>How often changes are written.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private const int DevicesPerTransaction = 500;

    // What the store holds, so that only changes are written.
    private readonly Dictionary<string, (long LastSeen, BatteryCharge? Battery, bool Connected, string Gaps)> written = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim saving = new(1, 1);

    /// <summary>Reads what the store holds into <see cref="DeviceConnectivity"/>; before the listeners open.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var started = Clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT id, last_seen, battery_percent, battery_at, connected, reporting_gaps FROM devices WHERE last_seen IS NOT NULL OR battery_percent IS NOT NULL OR connected = 1;";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            long? seen = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            BatteryCharge? battery = reader.IsDBNull(2) ? null : new BatteryCharge(reader.GetDouble(2), reader.IsDBNull(3) ? 0 : reader.GetInt64(3));
            var gaps = ReportingGaps.Parse(reader.IsDBNull(5) ? null : reader.GetString(5));
            connectivity.Restore(id, seen is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, battery, gaps);
            if (reader.GetInt64(4) == 1)
            {
                connectivity.AbsentSince(id, started, reported: false);
            }

            if (seen is { } known)
            {
                // A connected flag stays in the store until the device connects again, so a device
                // that stays away is watched for again after another restart.
                written[id] = (known, battery, false, gaps.Stored);
            }
        }
    }

    /// <summary>
    /// Notes the battery charge that committed readings of the device's battery report (called by the
    /// ingest pipeline with the readings a commit stored for a patient); written with the next changes.
    /// A reading taken before the charge known does not replace it: commits may be answered out of order.
    /// </summary>
    public void Committed(IReadOnlyList<Reading> readings)
    {
        foreach (var reading in readings)
        {
            if (reading.Vital == VitalSignCatalogue.DeviceBattery.Key && reading.Value is { } percent)
            {
                connectivity.BatteryReported(reading.DeviceId, percent, reading.DeviceTime);
            }
        }
    }

    /// <inheritdoc />
    public override Task CheckAsync(CancellationToken cancellationToken) => SaveChangesAsync(cancellationToken);

    /// <summary>Writes every device's last seen time, battery charge, connection state and reporting gaps that changed since the last write.</summary>
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        await saving.WaitAsync(cancellationToken);
        try
        {
            var changed = connectivity.Telemetry()
                .Select(t => (t.DeviceId, t.LastSeen, t.Battery, t.Connected, Gaps: t.Gaps.Stored))
                .Where(t => !written.TryGetValue(t.DeviceId, out var w) || w != (t.LastSeen, t.Battery, t.Connected, t.Gaps))
                .ToList();
            if (changed.Count == 0)
            {
                return;
            }

            // In slices, each its own short transaction, so that the group commit never waits behind a whole fleet's update.
            // The newest view wins: on a cluster, a node that last heard from a device before another node
            // did (the device moved) never turns its last seen time or connection back. The battery charge goes
            // by its own reading's device time, not by last seen: a node may hear from a device last and yet
            // hold an older charge (a buffered reading, or commits answered out of order).
            foreach (var slice in changed.Chunk(DevicesPerTransaction))
            {
                await database.WriteAsync(async connection =>
                {
                    await using var update = connection.CreateCommand();
                    update.CommandText = """
                        UPDATE devices SET
                            last_seen = CASE WHEN @seen >= coalesce(last_seen, 0) THEN @seen ELSE last_seen END,
                            battery_percent = CASE WHEN @battery_at >= coalesce(battery_at, 0) THEN @battery ELSE battery_percent END,
                            battery_at = CASE WHEN @battery_at >= coalesce(battery_at, 0) THEN @battery_at ELSE battery_at END,
                            connected = CASE WHEN @seen >= coalesce(last_seen, 0) THEN @connected ELSE connected END,
                            reporting_gaps = CASE WHEN @seen >= coalesce(last_seen, 0) THEN coalesce(@gaps, reporting_gaps) ELSE reporting_gaps END
                        WHERE id = @id;
                        """;
                    var seen = update.AddParameter("@seen", null);
                    seen.DbType = DbType.Int64;
                    var battery = update.AddParameter("@battery", null);
                    battery.DbType = DbType.Double;
                    var batteryAt = update.AddParameter("@battery_at", null);
                    batteryAt.DbType = DbType.Int64; // typed even when null, which PostgreSQL cannot infer from a comparison
                    var connected = update.AddParameter("@connected", null);
                    connected.DbType = DbType.Int64;
                    var gaps = update.AddParameter("@gaps", null);
                    gaps.DbType = DbType.String;
                    var id = update.AddParameter("@id", null);
                    id.DbType = DbType.String;
                    foreach (var device in slice)
                    {
                        seen.Value = device.LastSeen;
                        battery.Value = device.Battery is { } charge ? charge.Percent : DBNull.Value;
                        batteryAt.Value = device.Battery is { } taken ? taken.TakenAt : DBNull.Value;
                        connected.Value = device.Connected ? 1 : 0;
                        gaps.Value = device.Gaps.Length > 0 ? device.Gaps : DBNull.Value;
                        id.Value = device.DeviceId;
                        await update.ExecuteNonQueryAsync(cancellationToken);
                    }
                }, cancellationToken);
            }

            foreach (var device in changed)
            {
                written[device.DeviceId] = (device.LastSeen, device.Battery, device.Connected, device.Gaps);
            }
        }
        finally
        {
            saving.Release();
        }
    }

    /// <summary>
    /// The last write, as the server begins to stop: before the MQTT listener closes its connections,
    /// so that the devices connected now are known as connected at the next start.
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => SaveChangesAsync(CancellationToken.None);

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
