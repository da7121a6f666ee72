namespace OpenWard.Core.Alerting;

/// <summary>
/// A sign the personalised early warning watches: which way is worse, the population's normal used
/// until the patient's own history is long enough, and the smallest spread it will assume (so that a
/// very steady patient is not alarmed by a change of one unit).
/// </summary>
/// <param name="Measure">The catalogue key.</param>
/// <param name="Display">How a clinician names it in a sentence, e.g. "resting heart rate".</param>
/// <param name="Unit">Its canonical unit.</param>
/// <param name="Rising">Whether a rise (true) or a fall (false) is the worrying direction.</param>
/// <param name="PopulationNormal">A typical adult's value at rest.</param>
/// <param name="PopulationSpread">How widely adults vary around it (one standard deviation).</param>
/// <param name="SmallestSpread">The least spread assumed for one patient.</param>
/// <param name="RestingOnly">Whether only hours at rest are compared (heart and breathing rate rise with exertion).</param>
public sealed record EarlyWarningSign(
    string Measure, string Display, string Unit, bool Rising, double PopulationNormal, double PopulationSpread, double SmallestSpread, bool RestingOnly)
{
    /// <summary>Resting heart rate: up is worse (infection, decompensation, exacerbation).</summary>
    public static EarlyWarningSign HeartRate { get; } = new("heart-rate", "resting heart rate", "/min", true, 75, 12, 3, RestingOnly: true);

    /// <summary>Resting respiratory rate: up is worse.</summary>
    public static EarlyWarningSign RespiratoryRate { get; } = new("respiratory-rate", "breathing rate", "/min", true, 17, 3, 1, RestingOnly: true);

    /// <summary>Oxygen saturation: down is worse.</summary>
    public static EarlyWarningSign SpO2 { get; } = new("spo2", "SpO2", "%", false, 95, 2.5, 1, RestingOnly: false);

    /// <summary>Body temperature: up is worse; spot readings, each carried for 12 hours.</summary>
    public static EarlyWarningSign Temperature { get; } = new("body-temperature", "temperature", "Cel", true, 36.7, 0.4, 0.2, RestingOnly: false);

    /// <summary>Systolic pressure: spot readings, learnt only so that the limits know this patient's usual.</summary>
    public static EarlyWarningSign Systolic { get; } = new("blood-pressure.systolic", "systolic pressure", "mm[Hg]", false, 135, 20, 5, RestingOnly: false);

    /// <summary>Diastolic pressure: spot readings, learnt only so that the limits know this patient's usual.</summary>
    public static EarlyWarningSign Diastolic { get; } = new("blood-pressure.diastolic", "diastolic pressure", "mm[Hg]", false, 80, 12, 4, RestingOnly: false);

    /// <summary>The hourly signs, in the order an explanation names them.</summary>
    public static IReadOnlyList<EarlyWarningSign> Hourly { get; } = [HeartRate, RespiratoryRate, SpO2];

    /// <summary>The signs measured now and then (each reading kept as it is).</summary>
    public static IReadOnlyList<EarlyWarningSign> Spot { get; } = [Temperature, Systolic, Diastolic];
}
