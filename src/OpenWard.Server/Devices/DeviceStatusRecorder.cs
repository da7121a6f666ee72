using Microsoft.Data.Sqlite;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Devices;

/// <summary>
/// Keeps each device's last seen time and battery charge in the store (<c>devices.last_seen</c>,
/// <c>devices.battery_percent</c>): what changed is written once a minute and at shutdown, and read
/// back at start, so the fleet list still knows when a device was last heard from after a restart.
/// A crash loses at most the last minute's updates of this telemetry; readings are not affected.
/// </summary>
public sealed class DeviceStatusRecorder(ClinicalDatabase database, DeviceConnectivity connectivity, TimeProvider clock, ILogger<DeviceStatusRecorder> logger)
    : PeriodicCheck(Period, clock, logger)
{
    /// <summary>How often changes are written.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private const int DevicesPerTransaction = 500;

    // What the store holds, so that only changes are written.
    private readonly Dictionary<string, (long LastSeen, double? Battery)> written = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim saving = new(1, 1);

    /// <summary>Reads what the store holds into <see cref="DeviceConnectivity"/>; before the listeners open.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT id, last_seen, battery_percent FROM devices WHERE last_seen IS NOT NULL OR battery_percent IS NOT NULL;";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            long? seen = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            double? battery = reader.IsDBNull(2) ? null : reader.GetDouble(2);
            connectivity.Restore(id, seen is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, battery);
            if (seen is { } known)
            {
                written[id] = (known, battery);
            }
        }
    }

    /// <inheritdoc />
    public override Task CheckAsync(CancellationToken cancellationToken) => SaveChangesAsync(cancellationToken);

    /// <summary>Writes every device's last seen time and battery charge that changed since the last write.</summary>
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        await saving.WaitAsync(cancellationToken);
        try
        {
            var changed = connectivity.Telemetry()
                .Where(t => !written.TryGetValue(t.DeviceId, out var w) || w != (t.LastSeen, t.Battery))
                .ToList();
            if (changed.Count == 0)
            {
                return;
            }

            await using var connection = await database.OpenAsync(cancellationToken);
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE devices SET last_seen = $seen, battery_percent = coalesce($battery, battery_percent) WHERE id = $id;";
            var seen = update.Parameters.Add("$seen", SqliteType.Integer);
            var battery = update.Parameters.Add("$battery", SqliteType.Real);
            var id = update.Parameters.Add("$id", SqliteType.Text);
            // In slices, each its own short turn, so that the group commit never waits behind a whole fleet's update.
            foreach (var slice in changed.Chunk(DevicesPerTransaction))
            {
                using (await database.WaitToWriteAsync(cancellationToken))
                {
                    await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                    update.Transaction = transaction;
                    foreach (var device in slice)
                    {
                        seen.Value = device.LastSeen;
                        battery.Value = device.Battery is { } percent ? percent : DBNull.Value;
                        id.Value = device.DeviceId;
                        await update.ExecuteNonQueryAsync(cancellationToken);
                    }

                    await transaction.CommitAsync(cancellationToken);
                }
            }

            foreach (var device in changed)
            {
                written[device.DeviceId] = (device.LastSeen, device.Battery);
            }
        }
        finally
        {
            saving.Release();
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await SaveChangesAsync(CancellationToken.None);
    }
}
