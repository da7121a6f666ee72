namespace OpenWard.Core.Alerting;

/// <summary>
/// The alert limits of one measure (a vital sign, or one component such as systolic pressure), in
/// its canonical unit. Below <see cref="Low"/> or above <see cref="High"/> is a warning; below
/// <see cref="CriticalLow"/> or above <see cref="CriticalHigh"/> is critical and alerts at once.
/// </summary>
public sealed record ThresholdBands
{
    /// <summary>The measure: a catalogue key (<c>heart-rate</c>) or key and component (<c>blood-pressure.systolic</c>).</summary>
    public required string Measure { get; init; }

    /// <summary>Values below this are critical.</summary>
    public double? CriticalLow { get; init; }

    /// <summary>Values below this are a warning.</summary>
    public double? Low { get; init; }

    /// <summary>Values above this are a warning.</summary>
    public double? High { get; init; }

    /// <summary>Values above this are critical.</summary>
    public double? CriticalHigh { get; init; }

    /// <summary>How far back inside the limit a value must come before the condition counts as cleared.</summary>
    public double Hysteresis { get; init; }

    /// <summary>A non-critical breach alerts once it has lasted this long (between its first and latest reading)…</summary>
    public TimeSpan Persistence { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>…or once this many consecutive readings breached, whichever comes first (1 = at once).</summary>
    public int PersistenceReadings { get; init; } = 1;

    /// <summary>
    /// How many consecutive critical readings make a critical alert: 1 (at once) for spot
    /// measurements; a few for continuous signals, so a one-sample artefact pages no one while a
    /// real critical value alerts within seconds.
    /// </summary>
    public int CriticalConfirmReadings { get; init; } = 1;
}
