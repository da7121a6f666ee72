using OpenWard.Core.Scores;

namespace OpenWard.Core.Alerting;

/// <summary>
/// NEWS2 from each parameter's recent value within the freshness window — the median of its last
/// 15 readings within 15 minutes (15 s at 1 Hz, a quarter of an hour at one a minute), so that
/// an artefact or a few minutes of probe-off dips does not move the score — with the
/// patient's scale, oxygen and consciousness. Alerts by clinical-response level (low–medium →
/// warning, medium → urgent, high → critical) once a rising level has held for the confirmation
/// (15 minutes by default), checked on every score and on the timer, so a
/// spot set of observations counts as well as a continuous signal; a lower level (or low, which
/// clears the alert) takes effect once it has held for the hold-off (an hour by default).
/// </summary>
public sealed class News2Rule(PatientAlertSettings settings, TimeSpan freshness, TimeSpan confirmation, TimeSpan holdOff)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const int MedianOf = 15;

    /// <summary>The condition key.</summary>
    public const string Condition = "news2";

    private readonly Dictionary<string, List<(DateTimeOffset Time, double Value)>> recent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Median, DateTimeOffset Newest)> smoothed = new(StringComparer.Ordinal);
    private ClinicalResponse? alerted;
    private ClinicalResponse? latestLevel;
    private News2Score? latest;
    private DateTimeOffset? changingSince;
    private DateTimeOffset? assessedAt;

    /// <summary>The latest complete score, if any.</summary>
    public News2Score? Latest { get; private set; }

    /// <summary>Marks the condition as already open at a level.</summary>
    public void Resume(AlertSeverity severity)
    {
        alerted = severity switch
        {
            AlertSeverity.Critical => ClinicalResponse.High,
            AlertSeverity.Urgent => ClinicalResponse.Medium,
            _ => ClinicalResponse.LowMedium,
        };
        latestLevel = alerted;
    }

    /// <summary>
    /// Takes a value of a NEWS2 parameter (measure key, canonical unit) into its smoothing window
    /// without scoring; returns false for a measure that is not a parameter.
    /// </summary>
    public bool Take(string measure, double value, DateTimeOffset time)
    {
        if (!IsParameter(measure))
        {
            return false;
        }

        if (!recent.TryGetValue(measure, out var values))
        {
            values = [];
            recent[measure] = values;
        }

        values.Add((time, value));
        var newest = smoothed.TryGetValue(measure, out var before) && before.Newest > time ? before.Newest : time;
        var windowStart = newest - Window;
        var stale = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Time < windowStart)
            {
                stale++;
            }
            else if (stale > 0)
            {
                values[i - stale] = values[i];
            }
        }

        values.RemoveRange(values.Count - stale, stale);
        if (values.Count > MedianOf)
        {
            values.RemoveRange(0, values.Count - MedianOf);
        }

        smoothed[measure] = (Median(values), newest);
        return true;
    }

    /// <summary>The score from the parameters fresh at <paramref name="time"/>, when every one of them is.</summary>
    public News2Score? ScoreAt(DateTimeOffset time)
    {
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

    /// <summary>Takes a new score; returns the finding it makes once its level has held long enough to count.</summary>
    public RuleFinding? Assess(News2Score score, DateTimeOffset time)
    {
        // A late delivery of older readings (a device's buffer) is scored on the newest values of every parameter, so its
        // score is judged as of the newest evidence already assessed: a level never counts as held from before that.
        if (assessedAt is { } seen && time < seen)
        {
            time = seen;
        }

        assessedAt = time;
        var level = score.Response == ClinicalResponse.Low ? (ClinicalResponse?)null : score.Response;
        var direction = Math.Sign(Rank(level) - Rank(alerted));
        if (direction == 0 || direction != Math.Sign(Rank(latestLevel) - Rank(alerted)))
        {
            // Back at the alerted level, or turned the other way: the wait starts again.
            changingSince = direction == 0 ? null : time;
        }

        latest = score;
        latestLevel = level;
        return Decide(time);
    }

    /// <summary>Called on a timer: a level that has held long enough without a newer score (a spot set of observations) counts.</summary>
    public RuleFinding? Tick(DateTimeOffset now) => latest is null ? null : Decide(now);

    /// <summary>
    /// A rising level counts once it has held for the confirmation, so that
    /// a quarter of an hour's fluctuation of a continuous signal does not page anyone; a falling level
    /// (or low, which clears the alert) once it has held for the hold-off.
    /// </summary>
    private RuleFinding? Decide(DateTimeOffset now)
    {
        if (changingSince is not { } since)
        {
            return null;
        }

        var level = latestLevel;
        var wait = Rank(level) > Rank(alerted) ? confirmation : holdOff;
        if (now - since < wait)
        {
            return null;
        }

        changingSince = null;
        alerted = level;
        AlertSeverity? severity = level switch
        {
            ClinicalResponse.High => AlertSeverity.Critical,
            ClinicalResponse.Medium => AlertSeverity.Urgent,
            ClinicalResponse.LowMedium => AlertSeverity.Warning,
            _ => null,
        };
        var total = latest!.Total;
        var summary = level is null
            ? $"NEWS2 {total}: low"
            : $"NEWS2 {total}: {level switch { ClinicalResponse.High => "high", ClinicalResponse.Medium => "medium", _ => "low–medium (a single parameter scores 3)" }} clinical risk";
        return new RuleFinding(Condition, severity, summary, now);
    }

    private static int Rank(ClinicalResponse? level) => level is { } known ? (int)known : -1;

    private static bool IsParameter(string measure) =>
        measure is "respiratory-rate" or "spo2" or "blood-pressure.systolic" or "heart-rate" or "body-temperature";

    private static double Median(List<(DateTimeOffset Time, double Value)> values)
    {
        Span<double> sorted = stackalloc double[values.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = values[i].Value;
        }

        sorted.Sort();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The median of the measure's last readings (up to 15, within 15 minutes of its newest), if that is fresh.</summary>
    private double? Fresh(string measure, DateTimeOffset now) =>
        smoothed.TryGetValue(measure, out var value) && now - value.Newest <= freshness ? value.Median : null;
}
