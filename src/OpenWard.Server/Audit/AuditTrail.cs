using System.Data.Common;
using OpenWard.Core.Audit;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Audit;

/// <summary>
/// The audit trail in the store: records are only ever appended, one at a time, each hash-chained
/// to the one before (<see cref="AuditChain"/>), so that <c>openward audit verify</c> can tell an
/// intact trail from an edited one; <see cref="AuditAnchors"/> signs its head outside the database.
/// </summary>
public sealed class AuditTrail(ClinicalDatabase database, TimeProvider clock)
{
    private readonly SemaphoreSlim writer = new(1, 1);
    private (long Sequence, string Hash)? last;

    /// <summary>Appends a record.</summary>
    public async Task AppendAsync(string actor, string action, string? patientId, string source, string outcome, CancellationToken cancellationToken)
    {
        await writer.WaitAsync(cancellationToken);
        try
        {
            last = await database.WriteAsync(async connection =>
            {
                last ??= await LastAsync(connection, cancellationToken);
                var sequence = last.Value.Sequence + 1;
                var at = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
                var hash = AuditChain.HashOf(sequence, at, actor, action, patientId, source, outcome, last.Value.Hash);
                await using var insert = connection.CreateCommand();
                insert.CommandText = """
                    INSERT INTO audit_log (seq, at, actor, action, patient_id, source, outcome, previous_hash, hash)
                    VALUES (@seq, @at, @actor, @action, @patient, @source, @outcome, @previous, @hash);
                    """;
                insert.AddParameter("@seq", sequence);
                insert.AddParameter("@at", at.ToUnixTimeMilliseconds());
                insert.AddParameter("@actor", actor);
                insert.AddParameter("@action", action);
                insert.AddParameter("@patient", (object?)patientId ?? DBNull.Value);
                insert.AddParameter("@source", source);
                insert.AddParameter("@outcome", outcome);
                insert.AddParameter("@previous", last.Value.Hash);
                insert.AddParameter("@hash", hash);
                await insert.ExecuteNonQueryAsync(cancellationToken);
                return ((long Sequence, string Hash)?)(sequence, hash);
            }, cancellationToken);
        }
        catch
        {
            last = null; // re-read from the store next time
            throw;
        }
        finally
        {
            writer.Release();
        }
    }

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
