namespace OpenWard.Core.Alerting;

/// <summary>A vital sign the care plan expects at least every <see cref="Within"/> (e.g. SpO2 within 30 minutes, weight within a day).</summary>
public sealed record ExpectedReadings
{
    /// <summary>The catalogue key of the vital sign.</summary>
    public required string Vital { get; init; }

    /// <summary>The longest acceptable gap between readings.</summary>
    public required TimeSpan Within { get; init; }
}
