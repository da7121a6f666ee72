using System.Globalization;

namespace OpenWard.Core.Scores;

/// <summary>
/// The National Early Warning Score 2 (Royal College of Physicians, 2017): seven parameters scored
/// 0–3 by the chart's bands, summed, and mapped to a clinical-response level. Rates, saturation and
/// pressure are scored as whole numbers (rounded half away from zero) and temperature to one
/// decimal, as the chart is charted.
/// </summary>
public static class News2
{
    /// <summary>Scores a set of observations.</summary>
    public static News2Score Score(News2Observations observations)
    {
        var parameters = new List<News2Parameter>
        {
            Parameter("respiration rate", Whole(observations.RespirationRate), rate => RespirationRate(rate)),
            // On scale 2 the SpO2 score above 92 % depends on oxygen: without knowing it, it cannot be scored.
            Parameter("SpO2", Whole(observations.SpO2), spo2 => SpO2(spo2, observations.SpO2Scale, observations.OnOxygen)),
            new("air or oxygen", observations.OnOxygen switch { true => "oxygen", false => "air", null => null }, observations.OnOxygen switch { true => 2, false => 0, null => null }),
            Parameter("systolic blood pressure", Whole(observations.SystolicPressure), systolic => SystolicPressure(systolic)),
            Parameter("pulse", Whole(observations.Pulse), pulse => Pulse(pulse)),
            new("consciousness", observations.Consciousness is { } level ? Letter(level) : null, observations.Consciousness is { } c ? (c == Consciousness.Alert ? 0 : 3) : null),
            Parameter("temperature", observations.Temperature is { } t ? Math.Round(t, 1, MidpointRounding.AwayFromZero) : null, celsius => Temperature(celsius)),
        };

        var total = parameters.Sum(p => p.Score ?? 0);
        var anyThree = parameters.Any(p => p.Score == 3);
        return new News2Score
        {
            Parameters = parameters,
            Total = total,
            Response = total >= 7 ? ClinicalResponse.High : total >= 5 ? ClinicalResponse.Medium : anyThree ? ClinicalResponse.LowMedium : ClinicalResponse.Low,
            SpO2Scale = observations.SpO2Scale,
            Missing = [.. parameters.Where(p => p.Score is null).Select(p => p.Name)],
        };
    }

    /// <summary>Respiration rate: ≤8 → 3, 9–11 → 1, 12–20 → 0, 21–24 → 2, ≥25 → 3.</summary>
    public static IReadOnlyList<News2Band> RespirationRateBands { get; } =
        [new(null, 8, 3), new(9, 11, 1), new(12, 20, 0), new(21, 24, 2), new(25, null, 3)];

    /// <summary>Systolic blood pressure: ≤90 → 3, 91–100 → 2, 101–110 → 1, 111–219 → 0, ≥220 → 3.</summary>
    public static IReadOnlyList<News2Band> SystolicPressureBands { get; } =
        [new(null, 90, 3), new(91, 100, 2), new(101, 110, 1), new(111, 219, 0), new(220, null, 3)];

    /// <summary>Pulse: ≤40 → 3, 41–50 → 1, 51–90 → 0, 91–110 → 1, 111–130 → 2, ≥131 → 3.</summary>
    public static IReadOnlyList<News2Band> PulseBands { get; } =
        [new(null, 40, 3), new(41, 50, 1), new(51, 90, 0), new(91, 110, 1), new(111, 130, 2), new(131, null, 3)];

    /// <summary>Temperature: ≤35.0 → 3, 35.1–36.0 → 1, 36.1–38.0 → 0, 38.1–39.0 → 1, ≥39.1 → 2.</summary>
    public static IReadOnlyList<News2Band> TemperatureBands { get; } =
        [new(null, 35.0, 3), new(35.1, 36.0, 1), new(36.1, 38.0, 0), new(38.1, 39.0, 1), new(39.1, null, 2)];

    private static readonly IReadOnlyList<News2Band> SpO2Scale1 = [new(null, 91, 3), new(92, 93, 2), new(94, 95, 1), new(96, null, 0)];
    private static readonly IReadOnlyList<News2Band> SpO2Scale2OnAir = [new(null, 83, 3), new(84, 85, 2), new(86, 87, 1), new(88, null, 0)];
    private static readonly IReadOnlyList<News2Band> SpO2Scale2Unknown = [new(null, 83, 3), new(84, 85, 2), new(86, 87, 1), new(88, 92, 0)];
    private static readonly IReadOnlyList<News2Band> SpO2Scale2OnOxygen =
        [new(null, 83, 3), new(84, 85, 2), new(86, 87, 1), new(88, 92, 0), new(93, 94, 1), new(95, 96, 2), new(97, null, 3)];

    /// <summary>
    /// SpO2 scale 1: ≤91 → 3, 92–93 → 2, 94–95 → 1, ≥96 → 0. Scale 2: ≤83 → 3, 84–85 → 2, 86–87 → 1,
    /// 88–92 (or ≥93 on air) → 0, and on oxygen 93–94 → 1, 95–96 → 2, ≥97 → 3. Without knowing about
    /// oxygen, scale 2 has no band above 92.
    /// </summary>
    public static IReadOnlyList<News2Band> SpO2Bands(SpO2Scale scale, bool? onOxygen) => scale switch
    {
        SpO2Scale.Scale1 => SpO2Scale1,
        _ => onOxygen switch { true => SpO2Scale2OnOxygen, false => SpO2Scale2OnAir, null => SpO2Scale2Unknown },
    };

    /// <summary>The parameters devices measure, in chart order, each with the measure it is scored from and its bands.</summary>
    public static IReadOnlyList<News2ChartRow> Chart(SpO2Scale scale, bool? onOxygen) =>
    [
        new("respiratory-rate", "respiration rate", RespirationRateBands),
        new("spo2", "SpO2", SpO2Bands(scale, onOxygen)),
        new("blood-pressure.systolic", "systolic blood pressure", SystolicPressureBands),
        new("heart-rate", "pulse", PulseBands),
        new("body-temperature", "temperature", TemperatureBands),
    ];

    /// <summary>Respiration rate's score.</summary>
    public static int RespirationRate(double rate) => Scored(RespirationRateBands, rate) ?? 3;

    /// <summary>SpO2's score on the scale; null when scale 2 needs to know about oxygen and does not.</summary>
    public static int? SpO2(double saturation, SpO2Scale scale, bool? onOxygen) => Scored(SpO2Bands(scale, onOxygen), saturation);

    /// <summary>Systolic blood pressure's score.</summary>
    public static int SystolicPressure(double systolic) => Scored(SystolicPressureBands, systolic) ?? 3;

    /// <summary>Pulse's score.</summary>
    public static int Pulse(double pulse) => Scored(PulseBands, pulse) ?? 3;

    /// <summary>Temperature's score.</summary>
    public static int Temperature(double celsius) => Scored(TemperatureBands, celsius) ?? 2;

    // The first band, lowest first, whose top the value does not pass; none when the bands stop below it.
    private static int? Scored(IReadOnlyList<News2Band> bands, double value)
    {
        foreach (var band in bands)
        {
            if (band.High is not { } high || value <= high)
            {
                return band.Score;
            }
        }

        return null;
    }

    /// <summary>The clinical-response level as clinicians write it: low, low-medium, medium, high.</summary>
    public static string ResponseName(ClinicalResponse response) => response switch
    {
        ClinicalResponse.Low => "low",
        ClinicalResponse.LowMedium => "low-medium",
        ClinicalResponse.Medium => "medium",
        _ => "high",
    };

    /// <summary>The ACVPU letter of a level of consciousness.</summary>
    public static string Letter(Consciousness level) => level switch
    {
        Consciousness.Alert => "A",
        Consciousness.NewConfusion => "C",
        Consciousness.Voice => "V",
        Consciousness.Pain => "P",
        _ => "U",
    };

    private static double? Whole(double? value) => value is { } v ? Math.Round(v, MidpointRounding.AwayFromZero) : null;

    private static News2Parameter Parameter(string name, double? value, Func<double, int?> score) =>
        new(name, value?.ToString(CultureInfo.InvariantCulture), value is { } v ? score(v) : null);
}
