namespace OpenWard.Core.Readings;

/// <summary>
/// One validated measurement in OpenWard's clinical vocabulary: which device took it, which
/// patient it belongs to, what was measured (a catalogue key), the value in the canonical UCUM unit,
/// and both the device's and OpenWard's clock.
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

    /// <summary>
    /// Identifies the measurement within its device: two readings of the same device with the same
    /// key are the same measurement sent twice, and only the first is kept. Derived from the vital
    /// sign and the device time, so it is made only when asked for.
    /// </summary>
    public string DeduplicationKey => DeduplicationKeyFor(Vital, DeviceTime);

    /// <summary>The device's own sequence number, when it sends one.</summary>
    public long? Sequence { get; init; }

    /// <summary>The de-duplication key of a measurement: the vital sign and the device's timestamp.</summary>
    public static string DeduplicationKeyFor(string vital, DateTimeOffset deviceTime) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{vital}@{deviceTime.ToUnixTimeMilliseconds()}");
}
