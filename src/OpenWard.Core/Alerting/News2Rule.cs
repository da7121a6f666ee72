using OpenWard.Core.Scores;

namespace OpenWard.Core.Alerting;

/// <summary>
/// NEWS2 from the latest value of each parameter within the freshness window, with the patient's
/// scale, oxygen and consciousness; alerts by clinical-response level (low–medium → warning,
/// medium → urgent, high → critical) and clears when the response level is low again.
/// </summary>
public sealed class News2Rule(PatientAlertSettings settings, TimeSpan freshness)
{
    /// <summary>The condition key.</summary>
    public const string Condition = "news2";

    private readonly Dictionary<string, (double Value, DateTimeOffset Time)> latest = new(StringComparer.Ordinal);
    private ClinicalResponse? alerted;

    /// <summary>The latest complete score, if any.</summary>
    public News2Score? Latest { get; private set; }

    /// <summary>Marks the condition as already open at a level.</summary>
    public void Resume(AlertSeverity severity) => alerted = severity switch
    {
        AlertSeverity.Critical => ClinicalResponse.High,
        AlertSeverity.Urgent => ClinicalResponse.Medium,
        _ => ClinicalResponse.LowMedium,
    };

    /// <summary>Takes a NEWS2 parameter (measure key, canonical unit); returns the new score when one could be computed.</summary>
    public News2Score? Observe(string measure, double value, DateTimeOffset time)
    {
        if (!IsParameter(measure))
        {
            return null;
        }

        if (!latest.TryGetValue(measure, out var current) || time >= current.Time)
        {
            latest[measure] = (value, time);
        }

        var score = News2.Score(new News2Observations
        {
            RespirationRate = Fresh("respiratory-rate", time),
            SpO2 = Fresh("spo2", time),
            SpO2Scale = settings.SpO2Scale,
            OnOxygen = settings.OnOxygen,
            SystolicPressure = Fresh("blood-pressure.systolic", time),
            Pulse = Fresh("heart-rate", time),
            Consciousness = settings.Consciousness,
            Temperature = Fresh("body-temperature", time),
        });
        if (!score.IsComplete)
        {
            return null;
        }

        Latest = score;
        return score;
    }

    /// <summary>The finding a new score makes, if its response level differs from the alerted one.</summary>
    public RuleFinding? Assess(News2Score score, DateTimeOffset time)
    {
        var level = score.Response == ClinicalResponse.Low ? (ClinicalResponse?)null : score.Response;
        if (level == alerted)
        {
            return null;
        }

        alerted = level;
        AlertSeverity? severity = level switch
        {
            ClinicalResponse.High => AlertSeverity.Critical,
            ClinicalResponse.Medium => AlertSeverity.Urgent,
            ClinicalResponse.LowMedium => AlertSeverity.Warning,
            _ => null,
        };
        var summary = level is null
            ? $"NEWS2 {score.Total}: low"
            : $"NEWS2 {score.Total}: {level switch { ClinicalResponse.High => "high", ClinicalResponse.Medium => "medium", _ => "low–medium (a single parameter scores 3)" }} clinical risk";
        return new RuleFinding(Condition, severity, summary, time);
    }

    private static bool IsParameter(string measure) =>
        measure is "respiratory-rate" or "spo2" or "blood-pressure.systolic" or "heart-rate" or "body-temperature";

    private double? Fresh(string measure, DateTimeOffset now) =>
        latest.TryGetValue(measure, out var value) && now - value.Time <= freshness ? value.Value : null;
}
