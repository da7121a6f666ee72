namespace OpenWard.Mapping.Measurements;

/// <summary>What a device mapping made of one message: its measurements and the parts it could not use.</summary>
public sealed record MeasurementExtraction
{
    /// <summary>The measurements, template by template in the template's order, match by match in the message's order.</summary>
    public IReadOnlyList<NormalizedMeasurement> Measurements { get; init; } = [];

    /// <summary>Matched parts that could not become measurements, each with its reason.</summary>
    public IReadOnlyList<MeasurementProblem> Problems { get; init; } = [];

    /// <summary>Why the message as a whole could not be read (not JSON); null when it could.</summary>
    public string? MessageProblem { get; init; }
}
