namespace OpenWard.Core.Scores;

/// <summary>The seven NEWS2 parameters; a null one is missing and the score is then incomplete.</summary>
public sealed record News2Observations
{
    /// <summary>Respiration rate, breaths per minute.</summary>
    public double? RespirationRate { get; init; }

    /// <summary>Oxygen saturation, percent.</summary>
    public double? SpO2 { get; init; }

    /// <summary>Which SpO2 scale applies (a clinician's choice; scale 1 unless stated).</summary>
    public SpO2Scale SpO2Scale { get; init; } = SpO2Scale.Scale1;

    /// <summary>True on supplemental oxygen, false on air.</summary>
    public bool? OnOxygen { get; init; }

    /// <summary>Systolic blood pressure, mmHg.</summary>
    public double? SystolicPressure { get; init; }

    /// <summary>Pulse rate, beats per minute.</summary>
    public double? Pulse { get; init; }

    /// <summary>Level of consciousness (ACVPU).</summary>
    public Consciousness? Consciousness { get; init; }

    /// <summary>Temperature, °C.</summary>
    public double? Temperature { get; init; }
}
