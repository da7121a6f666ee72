namespace OpenWard.Server.Readings;

/// <summary>Summary of the readings of one vital sign within one time bucket.</summary>
public sealed record ReadingBucket
{
    /// <summary>Start of the bucket (inclusive), UTC.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Number of readings in the bucket.</summary>
    public required long Count { get; init; }

    /// <summary>Smallest value (single-value signs).</summary>
    public double? Min { get; init; }

    /// <summary>Largest value (single-value signs).</summary>
    public double? Max { get; init; }

    /// <summary>Arithmetic mean (single-value signs).</summary>
    public double? Mean { get; init; }

    /// <summary>Per-component statistics (multi-part signs such as blood pressure).</summary>
    public IReadOnlyDictionary<string, ComponentStatistics>? Components { get; init; }
}
