using OpenWard.Core.Alerting;

namespace OpenWard.Core.Alerts;

/// <summary>
/// An alert as its lifecycle sees it: everything a transition reads or decides. Its id, who it is
/// about and its condition are the store's; the server's alert is this status with those added, which
/// is why this record is not sealed.
/// </summary>
public record AlertStatus
{
    /// <summary>How severe it is (the highest it has been while open).</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary>Where it is in its life.</summary>
    public required AlertState State { get; init; }

    /// <summary>The latest evidence, in words.</summary>
    public required string Summary { get; init; }

    /// <summary>When it was raised.</summary>
    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Who acknowledged it.</summary>
    public string? AcknowledgedBy { get; init; }

    /// <summary>When it was acknowledged.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>Who resolved it (<see cref="AlertLifecycle.OpenWard"/> when the condition cleared by itself).</summary>
    public string? ResolvedBy { get; init; }

    /// <summary>When it was resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Whether the person who resolved it found it actionable; null while open and when OpenWard resolved it.</summary>
    public bool? Actionable { get; init; }

    /// <summary>The escalation tier reached (0 = the first).</summary>
    public required int EscalationTier { get; init; }

    /// <summary>When it escalates next if still unacknowledged; null once acknowledged, resolved or at the last tier.</summary>
    public DateTimeOffset? NextEscalationAt { get; init; }
}
