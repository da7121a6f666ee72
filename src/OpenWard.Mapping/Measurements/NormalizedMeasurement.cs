namespace OpenWard.Mapping.Measurements;

/// <summary>
/// A measurement as a device mapping template extracts it from a message, before it is tied to the
/// clinical vocabulary: the template's type name, when it happened, who and what it came from, and
/// its values as text.
/// </summary>
public sealed record NormalizedMeasurement
{
    /// <summary>The template's <c>typeName</c>.</summary>
    public required string Type { get; init; }

    /// <summary>When the measurement was taken, in UTC.</summary>
    public required DateTimeOffset OccurrenceTimeUtc { get; init; }

    /// <summary>The device id the message carried.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The patient id the message carried, if the template extracts one.</summary>
    public string? PatientId { get; init; }

    /// <summary>The encounter id the message carried, if the template extracts one.</summary>
    public string? EncounterId { get; init; }

    /// <summary>The correlation id the message carried, if the template extracts one.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The extracted values, in the template's order.</summary>
    public required IReadOnlyList<MeasurementProperty> Properties { get; init; }
}
