using System.Diagnostics.CodeAnalysis;
using OpenWard.Core.Alerts;

namespace OpenWard.Server.Alerts;

/// <summary>
/// An alert as the API, the hub and the channels show it: its status as the lifecycle decides it
/// (<see cref="AlertStatus"/>: severity, state, summary, times, tier), with its id, the patient and the
/// condition, the tier reached by name, and, when one alert is read, its history.
/// </summary>
public sealed record Alert : AlertStatus
{
    /// <summary>An alert to fill in (and to read from JSON).</summary>
    public Alert()
    {
    }

    /// <summary>The alert with this id, patient and condition, in <paramref name="status"/>.</summary>
    [SetsRequiredMembers]
    public Alert(AlertStatus status, string id, string patientId, string condition, string? escalatedTo)
        : base(status)
    {
        Id = id;
        PatientId = patientId;
        Condition = condition;
        EscalatedTo = escalatedTo;
    }

    /// <summary>The alert id.</summary>
    public required string Id { get; init; }

    /// <summary>The patient.</summary>
    public required string PatientId { get; init; }

    /// <summary>The condition (one open alert per patient and condition).</summary>
    public required string Condition { get; init; }

    /// <summary>The tier reached, by name.</summary>
    public string? EscalatedTo { get; init; }

    /// <summary>Its history, oldest first (only when one alert is read).</summary>
    public IReadOnlyList<AlertEvent>? Events { get; init; }
}
