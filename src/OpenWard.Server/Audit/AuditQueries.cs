using OpenWard.Core.Audit;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Audit;

/// <summary>Reads the audit trail: everything about one patient, or the latest records, newest first.</summary>
public sealed class AuditQueries(ClinicalDatabase database)
{
    /// <summary>Up to <paramref name="limit"/> records, newest first, of one patient when given.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(string? patientId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"""
            SELECT {AuditRows.Columns} FROM audit_log
            {(patientId is null ? "" : "WHERE patient_id = @patient")} ORDER BY seq DESC LIMIT @limit;
            """;
        query.AddParameter("@patient", (object?)patientId ?? DBNull.Value);
        query.AddParameter("@limit", limit);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(AuditRows.Read(reader));
        }

        return records;
    }
}
