using System.Data;

namespace OpenWard.Core.Audit;

/// <summary>
/// One entry of the audit trail: who did what, to which patient's data, when, from where, and with
/// what outcome — chained to the entry before it by <see cref="Hash"/>.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>Position in the trail, from 1, without gaps.</summary>
    public required long Sequence { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Who: the signed-in client or user, a device id, or <c>anonymous</c>.</summary>
    public required string Actor { get; init; }

    /// <summary>What: e.g. <c>GET /api/v1/patients/{patientId}/latest</c>, <c>sign-in</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Whose data, when the action concerns a patient.</summary>
    public string? PatientId { get; init; }

    /// <summary>From where: the caller's network address.</summary>
    public required string Source { get; init; }

    /// <summary>How it ended: an HTTP status code, or a word such as <c>refused</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>The previous record's hash (64 zeros for the first).</summary>
    public required string PreviousHash { get; init; }

    /// <summary>SHA-256 over this record's fields and <see cref="PreviousHash"/>, hex.</summary>
    public required string Hash { get; init; }

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
