namespace OpenWard.Simulator.Devices;

/// <summary>One measurement a simulated device took, in the device JSON v1 vocabulary.</summary>
public sealed record SimulatedReading(
    string Vital,
    DateTimeOffset Time,
    double? Value,
    IReadOnlyDictionary<string, double>? Components,
    string Unit);
