namespace OpenWard.Cli.Bench;

/// <summary>A device the benchmark publishes as, with the patient its readings should land with.</summary>
public sealed record BenchDevice(string Id, string Secret, string PatientId);
