using OpenWard.Simulator.Scenarios;

namespace OpenWard.Simulator.Physiology;

/// <summary>
/// A simulated patient's physiology as a pure function of time: their baseline, a circadian rhythm
/// (lowest in the early morning), daytime activity, meals, and any scripted deterioration. The same
/// seed and start give the same values, whatever order devices ask in.
/// </summary>
public sealed class PatientPhysiology
{
    private readonly PatientBaseline baseline;
    private readonly IReadOnlyList<Deterioration> deteriorations;
    private readonly DateTimeOffset start;
    private readonly int seed;
    private readonly double slowPhase;
    private readonly double fastPhase;

    /// <summary>A patient whose simulation starts at <paramref name="start"/> (scenario times are relative to it).</summary>
    public PatientPhysiology(PatientBaseline baseline, IReadOnlyList<Deterioration> deteriorations, DateTimeOffset start, int seed)
    {
        this.baseline = baseline;
        this.deteriorations = deteriorations;
        this.start = start;
        this.seed = seed;
        var random = new Random(seed);
        slowPhase = random.NextDouble() * 2 * Math.PI;
        fastPhase = random.NextDouble() * 2 * Math.PI;
    }

    /// <summary>The patient's baseline.</summary>
    public PatientBaseline Baseline => baseline;

    /// <summary>The scripted deteriorations.</summary>
    public IReadOnlyList<Deterioration> Deteriorations => deteriorations;

    /// <summary>Physical activity from 0 (asleep) to 1 (brisk walk).</summary>
    public double Activity(DateTimeOffset time)
    {
        var hour = time.UtcDateTime.TimeOfDay.TotalHours;
        if (hour < 7 || hour >= 22.5)
        {
            return 0.02;
        }

        var minutes = (time - DateTimeOffset.UnixEpoch).TotalMinutes;
        var level = 0.22
            + 0.18 * Math.Sin(2 * Math.PI * minutes / 97 + slowPhase)
            + 0.12 * Math.Sin(2 * Math.PI * minutes / 23 + fastPhase)
            + 0.12 * MinuteNoise((long)Math.Floor(minutes));
        return Math.Clamp(level, 0, 1);
    }

    /// <summary>The true values at <paramref name="time"/>.</summary>
    public VitalState At(DateTimeOffset time)
    {
        var hour = time.UtcDateTime.TimeOfDay.TotalHours;
        // 1 at 04:00, 0 at 16:00: heart rate, blood pressure and temperature dip at night.
        var night = (1 + Math.Cos(2 * Math.PI * (hour - 4) / 24)) / 2;
        var activity = Activity(time);
        var state = new VitalState(
            HeartRate: baseline.HeartRate - 7 * night + 38 * activity,
            RespiratoryRate: baseline.RespiratoryRate - 1.5 * night + 7 * activity,
            SpO2: baseline.SpO2 - 0.6 * night,
            Systolic: baseline.Systolic - 12 * night + 14 * activity,
            Diastolic: baseline.Diastolic - 8 * night + 7 * activity,
            Temperature: baseline.Temperature - 0.35 * night + 0.25 * activity,
            Weight: baseline.Weight,
            Glucose: baseline.Glucose + MealRise(hour));

        var sinceStart = time - start;
        foreach (var deterioration in deteriorations)
        {
            state = deterioration.Apply(state, deterioration.Progress(sinceStart));
        }

        return state;
    }

    private double MealRise(double hour)
    {
        var peak = baseline.Diabetic ? 85.0 : 35.0;
        var rise = 0.0;
        foreach (var meal in (ReadOnlySpan<double>)[8.0, 13.0, 19.0])
        {
            var hoursSince = hour - meal;
            if (hoursSince is > 0 and < 4)
            {
                // Peaks 45 minutes after the meal and fades over the next hours.
                var x = hoursSince / 0.75;
                rise += peak * x * Math.Exp(1 - x);
            }
        }

        return rise;
    }

    /// <summary>A value in [-1, 1] fixed for each minute of each patient.</summary>
    private double MinuteNoise(long minute)
    {
        var hash = unchecked(((ulong)minute * 0x9E3779B97F4A7C15UL) ^ ((ulong)seed * 0xBF58476D1CE4E5B9UL));
        hash ^= hash >> 31;
        hash = unchecked(hash * 0x94D049BB133111EBUL);
        hash ^= hash >> 29;
        return (hash % 20001) / 10000.0 - 1.0;
    }
}
