namespace OpenWard.Server.Monitoring;

/// <summary>What a patient's grain knows: the latest observation of each vital sign and how many it has seen.</summary>
[GenerateSerializer]
[Alias("OpenWard.PatientMonitorState")]
public sealed record PatientMonitorState
{
    /// <summary>The newest observation per vital sign (by device time).</summary>
    [Id(0)] public required IReadOnlyList<VitalObservation> Latest { get; init; }

    /// <summary>Observations received since the grain activated.</summary>
    [Id(1)] public required long ObservationsSinceActivation { get; init; }

    /// <summary>The latest complete NEWS2 total, if any.</summary>
    [Id(2)] public int? News2Total { get; init; }
}
