using System.Data.Common;
using OpenWard.Core.Audit;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Audit;

/// <summary>
/// The audit trail in the store: records are only ever appended, one at a time, each hash-chained
/// to the one before (<see cref="AuditChain"/>), so that <c>openward audit verify</c> can tell an
/// intact trail from an edited one; <see cref="AuditAnchors"/> signs its head outside the database.
/// Each append takes the trail's turn and reads the last record in its own transaction, so that
/// nodes sharing a store extend one chain.
/// </summary>
public sealed class AuditTrail(ClinicalDatabase database, TimeProvider clock)
{
    private const string Turn = "audit-trail";

    /// <summary>Appends a record.</summary>
    public Task AppendAsync(string actor, string action, string? patientId, string source, string outcome, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await database.TakeTurnAsync(connection, Turn, cancellationToken);
            var (last, lastHash) = await LastAsync(connection, cancellationToken);
            var sequence = last + 1;
            var at = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
            var hash = AuditChain.HashOf(sequence, at, actor, action, patientId, source, outcome, lastHash);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO audit_log (seq, at, actor, action, patient_id, source, outcome, previous_hash, hash)
                VALUES (@seq, @at, @actor, @action, @patient, @source, @outcome, @previous, @hash);
                """;
            insert.AddParameter("@seq", sequence);
            insert.AddParameter("@at", at.ToUnixTimeMilliseconds());
            insert.AddParameter("@actor", actor);
            insert.AddParameter("@action", action);
            insert.AddParameter("@patient", patientId);
            insert.AddParameter("@source", source);
            insert.AddParameter("@outcome", outcome);
            insert.AddParameter("@previous", lastHash);
            insert.AddParameter("@hash", hash);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>The trail's last record as stored: its sequence number and hash (0 and <see cref="AuditChain.Genesis"/> when empty).</summary>
    public async Task<(long Sequence, string Hash)> HeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await LastAsync(connection, cancellationToken);
    }

    /// <summary>The stored hash of one record, or null when there is no such record.</summary>
    public async Task<string?> HashAtAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT hash FROM audit_log WHERE seq = @seq;";
        query.AddParameter("@seq", sequence);
        return await query.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<(long, string)> LastAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditChain.Genesis);
    }
}
