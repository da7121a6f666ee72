using OpenWard.Core.Alerting;

namespace OpenWard.Server.Alerts;

/// <summary>An alert as the API, the hub and the channels show it.</summary>
public sealed record Alert
{
    /// <summary>The alert id.</summary>
    public required string Id { get; init; }

    /// <summary>The patient.</summary>
    public required string PatientId { get; init; }

    /// <summary>The condition (one open alert per patient and condition).</summary>
    public required string Condition { get; init; }

    /// <summary>How severe it is (the highest it has been while open).</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary><c>raised</c>, <c>acknowledged</c> or <c>resolved</c>.</summary>
    public required string State { get; init; }

    /// <summary>The latest evidence, in words.</summary>
    public required string Summary { get; init; }

    /// <summary>When it was raised.</summary>
    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Who acknowledged it, and when.</summary>
    public string? AcknowledgedBy { get; init; }

    /// <summary>When it was acknowledged.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>Who resolved it (<c>openward</c> when the condition cleared by itself).</summary>
    public string? ResolvedBy { get; init; }

    /// <summary>When it was resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>
    /// Whether the person who resolved it found it actionable; null while open, when OpenWard resolved it
    /// by itself, or when resolved before labels existed.
    /// </summary>
    public bool? Actionable { get; init; }

    /// <summary>The escalation tier reached (0 = the first).</summary>
    public required int EscalationTier { get; init; }

    /// <summary>The tier reached, by name.</summary>
    public string? EscalatedTo { get; init; }

    /// <summary>When it escalates next if still unacknowledged.</summary>
    public DateTimeOffset? NextEscalationAt { get; init; }

    /// <summary>Its history, oldest first (only when one alert is read).</summary>
    public IReadOnlyList<AlertEvent>? Events { get; init; }
}
