using OpenWard.Core.Readings;
using OpenWard.Server.Alerts;

namespace OpenWard.Server.WardOverview;

/// <summary>One patient as the ward overview shows them: latest values, NEWS2, open alerts and devices.</summary>
public sealed record WardTile
{
    /// <summary>The patient's id.</summary>
    public required string PatientId { get; init; }

    /// <summary>The name clinicians see.</summary>
    public required string Name { get; init; }

    /// <summary>The patient's care team, if any.</summary>
    public string? CareTeamId { get; init; }

    /// <summary>The care team's name, if any.</summary>
    public string? CareTeamName { get; init; }

    /// <summary>The latest reading of each vital sign.</summary>
    public required IReadOnlyList<ReadingView> Latest { get; init; }

    /// <summary>The most recent NEWS2, if one has been scored.</summary>
    public News2Record? News2 { get; init; }

    /// <summary>Open (raised or acknowledged) alerts, most severe first.</summary>
    public required IReadOnlyList<Alert> OpenAlerts { get; init; }

    /// <summary>The devices assigned to the patient.</summary>
    public required IReadOnlyList<WardDevice> Devices { get; init; }
}
