namespace OpenWard.Core.Alerting;

/// <summary>
/// Default alert limits, chosen so that a limit fires where the NEWS2 chart (RCP 2017) gives a
/// parameter a score of 2–3, and glucose follows the ADA hypoglycaemia levels (&lt;70 and &lt;54
/// mg/dL). On continuous signals (pulse oximeters, wearables, at any cadence from 1 Hz to one
/// reading every few minutes) a breach counts only when most of the last readings breach (those of the last 5 minutes, at most
/// 15: 15 s at 1 Hz),
/// and it alerts once it has lasted 15 minutes (5 for a critical saturation): home monitoring has time
/// to confirm, and a probe-off dip, a motion spike, a panic attack or a few minutes of exertion pages no one. It clears
/// once back inside for 30 minutes, so a signal hovering at its limit keeps one alert open. Spot
/// measurements (cuff, thermometer, glucose meter, a finger oximeter used a few times a day) alert
/// on the reading itself. Every limit can be overridden per patient by a clinician.
/// </summary>
public static class ThresholdDefaults
{
    /// <summary>How a continuous signal's breach is confirmed by default: smoothing window, persistence, critical persistence.</summary>
    private static readonly (TimeSpan Smoothing, TimeSpan Persistence, TimeSpan CriticalPersistence, TimeSpan HoldOff) Continuous =
        (TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1));

    /// <summary>Hypoxaemia harms within minutes: a critical saturation alerts after 5.</summary>
    private static readonly TimeSpan CriticalSaturationPersistence = TimeSpan.FromMinutes(5);

    /// <summary>The defaults, one per measure.</summary>
    public static IReadOnlyList<ThresholdBands> All { get; } =
    [
        // NEWS2: ≤40 scores 3, 111–130 scores 2, ≥131 scores 3.
        new() { Measure = "heart-rate", CriticalLow = 40, Low = 50, High = 120, CriticalHigh = 140, Hysteresis = 5, Smoothing = Continuous.Smoothing, Persistence = Continuous.Persistence, CriticalPersistence = Continuous.CriticalPersistence, HoldOff = Continuous.HoldOff },
        // NEWS2 scale 1: ≤91 scores 3; ≤85 is severe hypoxaemia.
        new() { Measure = "spo2", CriticalLow = 86, Low = 92, Hysteresis = 2, Smoothing = Continuous.Smoothing, Persistence = Continuous.Persistence, CriticalPersistence = CriticalSaturationPersistence, HoldOff = Continuous.HoldOff },
        // NEWS2: ≤8 and ≥25 score 3; 21–24 scores 2 (9–11 scores 1 and is common asleep, so it does not alert).
        new() { Measure = "respiratory-rate", CriticalLow = 9, Low = 10, High = 24, CriticalHigh = 29, Hysteresis = 2, Smoothing = Continuous.Smoothing, Persistence = Continuous.Persistence, CriticalPersistence = Continuous.CriticalPersistence, HoldOff = Continuous.HoldOff },
        // NEWS2: ≤90 and ≥220 score 3, 91–100 scores 2.
        new() { Measure = "blood-pressure.systolic", CriticalLow = 91, Low = 101, High = 180, CriticalHigh = 219, Hysteresis = 5 },
        // Severe hypertension (diastolic ≥120) needs same-day review.
        new() { Measure = "blood-pressure.diastolic", Low = 40, High = 110, CriticalHigh = 119, Hysteresis = 5 },
        // NEWS2: ≤35.0 scores 3, ≥39.1 scores 2.
        new() { Measure = "body-temperature", CriticalLow = 35.1, Low = 36.0, High = 38.0, CriticalHigh = 39.0, Hysteresis = 0.3 },
        // ADA: level 1 hypoglycaemia <70 mg/dL, level 2 (urgent) <54 mg/dL; hyperglycaemia >250 mg/dL.
        new() { Measure = "blood-glucose", CriticalLow = 54, Low = 70, High = 250, CriticalHigh = 400, Hysteresis = 10 },
    ];

    /// <summary>The default bands of a measure, or null when it has none (weight and steps are watched as trends).</summary>
    public static ThresholdBands? For(string measure) => All.FirstOrDefault(b => b.Measure == measure);
}
