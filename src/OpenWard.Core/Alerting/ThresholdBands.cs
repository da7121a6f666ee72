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

    /// <summary>
    /// On a continuous signal, a non-critical breach alerts once it has lasted this long (zero: at
    /// once; unset: the default's). A reading from a device that measures this at least every <see cref="ThresholdMonitor.SpotInterval"/>
    /// is part of a continuous signal; anything sparser is a deliberate spot measurement and alerts on itself.
    /// </summary>
    public TimeSpan? Persistence { get; init; }

    /// <summary>On a continuous signal, a critical breach alerts once it has lasted this long (zero: at once; unset: the default's).</summary>
    public TimeSpan? CriticalPersistence { get; init; }

    /// <summary>
    /// On a continuous signal, each judgement is made on the readings of this window (at most 15, the
    /// newest): a breach only when more than half of them breach, so one- and two-sample artefacts
    /// (probe-off dips, motion spikes) never count, at any cadence. Zero: each reading alone; unset: the default's.
    /// </summary>
    public TimeSpan? Smoothing { get; init; }

    /// <summary>
    /// On a continuous signal, how long values must stay back inside before the condition clears
    /// (unset: the service's hold-off). Longer than a spot measurement's, so that a signal hovering at
    /// its limit keeps one alert open instead of raising a new one every time it dips back out.
    /// </summary>
    public TimeSpan? HoldOff { get; init; }

    /// <summary>These limits, with the default's confirmation (smoothing and persistence) wherever this leaves it unset.</summary>
    public ThresholdBands Completed(ThresholdBands? defaults) => this with
    {
        Persistence = Persistence ?? defaults?.Persistence,
        CriticalPersistence = CriticalPersistence ?? defaults?.CriticalPersistence,
        Smoothing = Smoothing ?? defaults?.Smoothing,
        HoldOff = HoldOff ?? defaults?.HoldOff,
    };

    /// <summary>The same limits as plain static thresholds: every reading judged alone, at once, with no hysteresis.</summary>
    public static ThresholdBands Static(ThresholdBands bands) =>
        bands with { Persistence = TimeSpan.Zero, CriticalPersistence = TimeSpan.Zero, Smoothing = TimeSpan.Zero, HoldOff = TimeSpan.Zero, Hysteresis = 0 };
}
