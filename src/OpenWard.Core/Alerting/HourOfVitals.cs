namespace OpenWard.Core.Alerting;

/// <summary>
/// One completed hour of a patient's continuous signals, as the early warning remembers it: the
/// hour's median heart rate, respiratory rate and saturation, its steps (null where no step counter
/// reported), and whether the hour departed from the patient's normal (such hours never become the normal).
/// </summary>
public sealed record HourOfVitals(DateTimeOffset Hour, double? HeartRate, double? RespiratoryRate, double? SpO2, double? Steps)
{
    /// <summary>The range most of the hour's readings of each hourly sign lay in (10th to 90th percentile), by measure.</summary>
    public IReadOnlyDictionary<string, (double Low, double High)> Ranges { get; init; } = new Dictionary<string, (double Low, double High)>();

    /// <summary>Whether the hour departed from the patient's normal.</summary>
    public bool Departed { get; init; }

    /// <summary>Whether the patient was at rest: fewer than <see cref="RestingSteps"/> steps, or no step counter.</summary>
    public bool Resting => Steps is not { } steps || steps < RestingSteps;

    /// <summary>Steps in an hour below which heart and breathing rates count as resting.</summary>
    public const double RestingSteps = 300;

    /// <summary>The range most of the hour's readings of a sign lay in; the hour's value alone where only that is known.</summary>
    public (double Low, double High)? RangeOf(EarlyWarningSign sign) =>
        Ranges.TryGetValue(sign.Measure, out var range) ? range : ValueOf(sign) is { } value ? (value, value) : null;

    /// <summary>The hour's value of a sign.</summary>
    public double? ValueOf(EarlyWarningSign sign) => sign.Measure switch
    {
        "heart-rate" => HeartRate,
        "respiratory-rate" => RespiratoryRate,
        "spo2" => SpO2,
        _ => null,
    };
}
