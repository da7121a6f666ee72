namespace OpenWard.Core.DeviceProtocol;

/// <summary>One reading exactly as a device sent it in the device JSON format, before validation.</summary>
public sealed record ReadingSubmission
{
    /// <summary>The vital-sign catalogue key the device named.</summary>
    public string? Vital { get; init; }

    /// <summary>The measurement time the device gave.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>The single value, if any.</summary>
    public double? Value { get; init; }

    /// <summary>The named components, if any.</summary>
    public IReadOnlyDictionary<string, double>? Components { get; init; }

    /// <summary>The UCUM unit the device gave.</summary>
    public string? Unit { get; init; }

    /// <summary>The device's sequence number, if any.</summary>
    public long? Sequence { get; init; }
}
