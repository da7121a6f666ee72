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
}
