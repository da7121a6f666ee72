using System.Data;
using OpenWard.Core.Audit;

namespace OpenWard.Server.Audit;

/// <summary>How the audit trail's records are stored: the columns of <c>audit_log</c>, and a record read back from them.</summary>
public static class AuditRows
{
    /// <summary>The stored columns, in the order <see cref="Read"/> expects them.</summary>
    public const string Columns = "seq, at, actor, action, patient_id, source, outcome, previous_hash, hash";

    /// <summary>A record from a row of <see cref="Columns"/>, whatever database it was read from.</summary>
    public static AuditRecord Read(IDataRecord row) => new()
    {
        Sequence = row.GetInt64(0),
        At = DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)),
        Actor = row.GetString(2),
        Action = row.GetString(3),
        PatientId = row.IsDBNull(4) ? null : row.GetString(4),
        Source = row.GetString(5),
        Outcome = row.GetString(6),
        PreviousHash = row.GetString(7),
        Hash = row.GetString(8),
    };
}
