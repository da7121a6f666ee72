namespace OpenWard.Server.Monitoring;

/// <summary>
/// Newly committed observations of one patient, handed to the patient's grain. Marked immutable
/// so that Orleans passes it within the silo without deep-copying every observation.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("OpenWard.ObservationBatch")]
public sealed record ObservationBatch([property: Id(0)] IReadOnlyList<VitalObservation> Observations);
