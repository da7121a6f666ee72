using System.Text.Json;
using System.Data.Common;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Deliveries waiting, done and failed, in the store: a notice is queued in the transaction that stores
/// its alert change (<see cref="AlertStore"/>), so a stored change always has its deliveries and a restart loses none.
/// Each attempt is claimed before it is made, so that two nodes sharing the store never make the same one, and its
/// outcome is recorded; failures wait twice as long each time.
/// The notice (the alert with its summary) is sealed at rest.
/// </summary>
public sealed class DeliveryQueue(ClinicalDatabase database, Protection.FieldProtector protector, TimeProvider clock)
{
    /// <summary>
    /// How long a claimed delivery is held for the node that claimed it: well past the longest send
    /// (<see cref="AlertDispatcher.SendTimeout"/>) and any drift between nodes' clocks, so that only a node that stopped
    /// mid-send loses its claim.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A delivery claimed for one attempt: <paramref name="Attempt"/> counts this one, and the claim holds until
    /// <paramref name="ClaimedUntil"/>.
    /// </summary>
    public sealed record Due(long Id, string Channel, string Target, string Payload, int Attempt, DateTimeOffset ClaimedUntil);

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

    /// <summary>
    /// Takes the pending delivery whose attempt is due soonest, or none: the attempt is counted and the delivery is
    /// held for this caller until <see cref="Lease"/> from now, so that no other node (or round) takes it meanwhile.
    /// A claim whose outcome is never recorded (its node stopped mid-send) lapses, and the delivery is taken again:
    /// deliveries are at least once.
    /// </summary>
    public async Task<Due?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!await AnyDueAsync(now, cancellationToken))
        {
            return null; // read first, so that an idle queue does not take SQLite's write turn every round
        }

        var leaseEnd = (now + Lease).ToUnixTimeMilliseconds();
        return await database.WriteAsync(async connection =>
        {
            // One statement, so that a delivery is claimed once: on PostgreSQL a node whose update meets a row another
            // node is claiming waits for it, then checks the outer condition again against the row as the other left
            // it (READ COMMITTED), finds it no longer due and skips it; on SQLite the write turn orders claims.
            await using var claim = connection.CreateCommand();
            claim.CommandText = """
                UPDATE alert_deliveries SET next_attempt_at = @leaseEnd, attempts = attempts + 1
                WHERE status = 'pending' AND next_attempt_at <= @now
                  AND id IN (SELECT id FROM alert_deliveries WHERE status = 'pending' AND next_attempt_at <= @now
                             ORDER BY next_attempt_at, id LIMIT 1)
                RETURNING id, channel, target, payload, attempts;
                """;
            claim.AddParameter("@now", now.ToUnixTimeMilliseconds());
            claim.AddParameter("@leaseEnd", leaseEnd);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new Due(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    protector.Unprotect(reader.GetString(3), Protection.FieldProtector.AlertDeliveryPayload)!, reader.GetInt32(4),
                    DateTimeOffset.FromUnixTimeMilliseconds(leaseEnd))
                : null;
        }, cancellationToken);
    }

    /// <summary>
    /// Records how a claimed attempt went: delivered, retried after <paramref name="retryAfter"/>, or failed for good
    /// when that is null. A success is recorded while the delivery is pending, whoever holds it now (it did get
    /// through); a failure only while <paramref name="claim"/> still holds it, so that a claim that lapsed does not
    /// put back a delivery another node has taken since. Returns whether it was recorded.
    /// </summary>
    public async Task<bool> RecordAsync(Due claim, string? error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = error is null
                ? "UPDATE alert_deliveries SET status = 'delivered', delivered_at = @now, next_attempt_at = NULL, last_error = NULL WHERE id = @id AND status = 'pending';"
                : retryAfter is not null
                    ? "UPDATE alert_deliveries SET last_error = @error, next_attempt_at = @next WHERE id = @id AND status = 'pending' AND next_attempt_at = @claimedUntil;"
                    : "UPDATE alert_deliveries SET status = 'failed', last_error = @error, next_attempt_at = NULL WHERE id = @id AND status = 'pending' AND next_attempt_at = @claimedUntil;";
            update.AddParameter("@id", claim.Id);
            update.AddParameter("@claimedUntil", claim.ClaimedUntil.ToUnixTimeMilliseconds());
            update.AddParameter("@now", now.ToUnixTimeMilliseconds());
            update.AddParameter("@error", (object?)error ?? DBNull.Value);
            update.AddParameter("@next", retryAfter is { } delay ? (now + delay).ToUnixTimeMilliseconds() : DBNull.Value);
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
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

    private async Task<bool> AnyDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT 1 FROM alert_deliveries WHERE status = 'pending' AND next_attempt_at <= @now LIMIT 1;";
        query.AddParameter("@now", now.ToUnixTimeMilliseconds());
        return await query.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static DateTimeOffset? Time(DbDataReader reader, int i) =>
        reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
}
