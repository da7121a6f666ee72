using OpenWard.Core.Scores;

namespace OpenWard.Core.Alerting;

/// <summary>A patient's alerting settings, as a clinician sets them; defaults apply where nothing was set.</summary>
public sealed record PatientAlertSettings
{
    /// <summary>Limits that replace the defaults for this patient, by measure.</summary>
    public IReadOnlyList<ThresholdBands> Thresholds { get; init; } = [];

    /// <summary>Vital signs the care plan expects regularly; a longer gap raises a "no data" alert.</summary>
    public IReadOnlyList<ExpectedReadings> ExpectedReadings { get; init; } = [];

    /// <summary>The NEWS2 SpO2 scale (scale 2 only for hypercapnic respiratory failure, by a clinician's decision).</summary>
    public SpO2Scale SpO2Scale { get; init; } = SpO2Scale.Scale1;

    /// <summary>Whether the patient is on supplemental oxygen (NEWS2 scores 2 for it).</summary>
    public bool OnOxygen { get; init; }

    /// <summary>Level of consciousness last assessed (patients at home are taken as alert until assessed otherwise).</summary>
    public Consciousness Consciousness { get; init; } = Consciousness.Alert;

    /// <summary>
    /// The limits in force for a measure: the patient's own (confirmed as the default confirms unless
    /// the clinician said otherwise), else the default, else none.
    /// </summary>
    public ThresholdBands? BandsFor(string measure) =>
        Thresholds.FirstOrDefault(t => t.Measure == measure)?.Completed(ThresholdDefaults.For(measure)) ?? ThresholdDefaults.For(measure);
}
