namespace OpenWard.Server.Monitoring;

/// <summary>A reading as a patient's grain holds it (never changed once made).</summary>
[GenerateSerializer]
[Immutable]
[Alias("OpenWard.VitalObservation")]
public sealed record VitalObservation
{
    /// <summary>Vital-sign catalogue key.</summary>
    [Id(0)] public required string Vital { get; init; }

    /// <summary>Single value in the canonical unit.</summary>
    [Id(1)] public double? Value { get; init; }

    /// <summary>Components in the canonical unit.</summary>
    [Id(2)] public Dictionary<string, double>? Components { get; init; }

    /// <summary>Canonical UCUM unit.</summary>
    [Id(3)] public required string Unit { get; init; }

    /// <summary>Device time, UTC.</summary>
    [Id(4)] public required DateTimeOffset Time { get; init; }

    /// <summary>The device that measured.</summary>
    [Id(5)] public required string DeviceId { get; init; }
}
