using System.Text.Json;
using System.Data.Common;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Deliveries waiting, done and failed, in the store: a notice is queued in the transaction that stores
/// its alert change (<see cref="AlertStore"/>), so a stored change always has its deliveries and a restart loses none; each attempt's outcome is recorded, and failures wait twice as long each time.
/// The notice (the alert with its summary) is sealed at rest.
/// </summary>
public sealed class DeliveryQueue(ClinicalDatabase database, Protection.FieldProtector protector, TimeProvider clock)
{
    /// <summary>A delivery due now.</summary>
    public sealed record Due(long Id, string Channel, string Target, string Payload, int Attempts);

    /// <summary>
    /// Queues a notice for each target of each channel, in the write that stores the alert change
    /// (<paramref name="connection"/> is that write's), so that the change and its deliveries are committed together.
    /// </summary>
    public async Task EnqueueAsync(
        DbConnection connection, AlertNotice notice, IReadOnlyList<(string Channel, string Target)> targets, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var payload = protector.Protect(JsonSerializer.Serialize(notice, AlertJson.Options), Protection.FieldProtector.AlertDeliveryPayload);
        foreach (var (channel, target) in targets)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO alert_deliveries (alert_id, channel, target, payload, status, created_at, next_attempt_at)
                VALUES (@alert, @channel, @target, @payload, 'pending', @now, @now);
                """;
            insert.AddParameter("@alert", notice.Alert.Id);
            insert.AddParameter("@channel", channel);
            insert.AddParameter("@target", target);
            insert.AddParameter("@payload", payload);
            insert.AddParameter("@now", now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Pending deliveries whose attempt is due.</summary>
    public async Task<IReadOnlyList<Due>> DueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT id, channel, target, payload, attempts FROM alert_deliveries
            WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at LIMIT 100;
            """;
        query.AddParameter("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var due = new List<Due>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new Due(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                protector.Unprotect(reader.GetString(3), Protection.FieldProtector.AlertDeliveryPayload)!, reader.GetInt32(4)));
        }

        return due;
    }

    /// <summary>Records an attempt: delivered, retried later after <paramref name="retryAfter"/>, or failed for good when that is null.</summary>
    public async Task RecordAsync(long id, string? error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = error is null
                ? "UPDATE alert_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = @now, next_attempt_at = NULL, last_error = NULL WHERE id = @id;"
                : retryAfter is { } wait
                    ? "UPDATE alert_deliveries SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next WHERE id = @id;"
                    : "UPDATE alert_deliveries SET status = 'failed', attempts = attempts + 1, last_error = @error, next_attempt_at = NULL WHERE id = @id;";
            update.AddParameter("@id", id);
            update.AddParameter("@now", now.ToUnixTimeMilliseconds());
            update.AddParameter("@error", (object?)error ?? DBNull.Value);
            update.AddParameter("@next", retryAfter is { } delay ? (now + delay).ToUnixTimeMilliseconds() : DBNull.Value);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <summary>An alert's deliveries, oldest first.</summary>
    public async Task<IReadOnlyList<AlertDelivery>> ForAlertAsync(string alertId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT channel, target, payload, status, attempts, last_error, created_at, next_attempt_at, delivered_at
            FROM alert_deliveries WHERE alert_id = @alert ORDER BY id;
            """;
        query.AddParameter("@alert", alertId);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var deliveries = new List<AlertDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var change = JsonSerializer.Deserialize<AlertNotice>(protector.Unprotect(reader.GetString(2), Protection.FieldProtector.AlertDeliveryPayload)!, AlertJson.Options)?.Change ?? "";
            deliveries.Add(new AlertDelivery(
                reader.GetString(0), reader.GetString(1), change, reader.GetString(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), Time(reader, 6)!.Value, Time(reader, 7), Time(reader, 8)));
        }

        return deliveries;
    }

    private static DateTimeOffset? Time(DbDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
}
