namespace OpenWard.Simulator.Physiology;

/// <summary>A simulated patient's own normal values, drawn once from the patient's random source.</summary>
public sealed record PatientBaseline
{
    /// <summary>Resting heart rate, /min.</summary>
    public required double HeartRate { get; init; }

    /// <summary>Resting respiratory rate, /min.</summary>
    public required double RespiratoryRate { get; init; }

    /// <summary>SpO2 on air, %.</summary>
    public required double SpO2 { get; init; }

    /// <summary>Systolic pressure, mm[Hg].</summary>
    public required double Systolic { get; init; }

    /// <summary>Diastolic pressure, mm[Hg].</summary>
    public required double Diastolic { get; init; }

    /// <summary>Core temperature, Cel.</summary>
    public required double Temperature { get; init; }

    /// <summary>Body weight, kg.</summary>
    public required double Weight { get; init; }

    /// <summary>Fasting glucose, mg/dL.</summary>
    public required double Glucose { get; init; }

    /// <summary>Whether the patient has diabetes (glucose meter, larger post-meal rises).</summary>
    public required bool Diabetic { get; init; }

    /// <summary>Draws a plausible adult on a remote-monitoring programme.</summary>
    public static PatientBaseline Draw(Random random, bool diabetic) => new()
    {
        HeartRate = Between(random, 58, 84),
        RespiratoryRate = Between(random, 12, 17),
        SpO2 = Between(random, 94.5, 98.5),
        Systolic = Between(random, 112, 142),
        Diastolic = Between(random, 68, 88),
        Temperature = Between(random, 36.4, 37.0),
        Weight = Between(random, 55, 110),
        Glucose = diabetic ? Between(random, 110, 150) : Between(random, 80, 100),
        Diabetic = diabetic,
    };

    private static double Between(Random random, double min, double max) => min + random.NextDouble() * (max - min);
}
