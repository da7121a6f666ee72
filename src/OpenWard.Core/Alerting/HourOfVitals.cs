namespace OpenWard.Core.Alerting;

/// <summary>
/// One completed hour of a patient's continuous signals, as the early warning remembers it: the
/// hour's median heart rate, respiratory rate and saturation, its steps (null where no step counter
/// reported), and whether the hour departed from the patient's normal (such hours never become the normal).
/// </summary>
public sealed record HourOfVitals(DateTimeOffset Hour, double? HeartRate, double? RespiratoryRate, double? SpO2, double? Steps)
{
    /// <summary>Whether the hour departed from the patient's normal.</summary>
    public bool Departed { get; set; }

    /// <summary>Whether the patient was at rest: fewer than <see cref="RestingSteps"/> steps, or no step counter.</summary>
    public bool Resting => Steps is not { } steps || steps < RestingSteps;

    /// <summary>Steps in an hour below which heart and breathing rates count as resting.</summary>
    public const double RestingSteps = 300;

    /// <summary>The hour's value of a sign.</summary>
    public double? ValueOf(EarlyWarningSign sign) => sign.Measure switch
    {
        "heart-rate" => HeartRate,
        "respiratory-rate" => RespiratoryRate,
        "spo2" => SpO2,
        _ => null,
    };
}
