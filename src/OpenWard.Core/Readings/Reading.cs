namespace OpenWard.Core.Readings;

/// <summary>
/// One validated measurement in OpenWard's clinical vocabulary: which device took it, which
/// patient it belongs to, what was measured (a catalogue key), the value in the canonical UCUM unit,
/// and both the device's and OpenWard's clock. Two readings of one device with the same vital sign
/// and device time are the same measurement sent twice; the store keeps only the first.
/// </summary>
public sealed record Reading
{
    /// <summary>The device that took the measurement.</summary>
    public required string DeviceId { get; init; }

    /// <summary>
    /// The patient the device was assigned to at <see cref="DeviceTime"/>; null while the device
    /// was assigned to nobody (the reading is kept, unattributed).
    /// </summary>
    public string? PatientId { get; init; }

    /// <summary>The vital-sign catalogue key, e.g. <c>heart-rate</c>.</summary>
    public required string Vital { get; init; }

    /// <summary>The value of a single-value sign, in <see cref="Unit"/>.</summary>
    public double? Value { get; init; }

    /// <summary>The components of a multi-part sign (blood pressure), in <see cref="Unit"/>.</summary>
    public IReadOnlyDictionary<string, double>? Components { get; init; }

    /// <summary>The canonical UCUM unit of the vital sign.</summary>
    public required string Unit { get; init; }

    /// <summary>When the device says it measured (UTC).</summary>
    public required DateTimeOffset DeviceTime { get; init; }

    /// <summary>When OpenWard received the reading (UTC).</summary>
    public required DateTimeOffset ReceivedTime { get; init; }

    /// <summary>The device's own sequence number, when it sends one.</summary>
    public long? Sequence { get; init; }
}
