using OpenWard.Core.Scores;
using OpenWard.Core.Vitals;

namespace OpenWard.Core.Alerting;

/// <summary>
/// Every rule that watches one patient: emergencies (help button, fall), limits per measure (too
/// low, too high), NEWS2, trends (weight gain; heart rate, respiratory rate and saturation against
/// the patient's own baseline), the personalised early warning, expected readings that stop arriving, and devices' batteries. Readings go in; findings (conditions starting, worsening or clearing) and new
/// NEWS2 scores come out. Pure: no clock of its own, no I/O.
/// </summary>
public sealed class PatientRules
{
    private readonly Dictionary<string, ThresholdMonitor[]> thresholds = new(StringComparer.Ordinal);
    private readonly News2Rule news2;
    private readonly WeightTrend weight = new();
    private readonly List<DataGapRule> gaps;
    private readonly BatteryRule battery = new();
    private readonly EarlyWarning? earlyWarning;
    private (News2Score Score, DateTimeOffset Time)? remembered;

    // Heart rate +15 /min, respiratory rate +4 /min, SpO2 −3 % against the patient's own 7-day baseline.
    private readonly BaselineDrift[] drifts =
    [
        new("heart-rate", "Heart rate", "/min", 15, rising: true),
        new("respiratory-rate", "Respiratory rate", "/min", 4, rising: true),
        new("spo2", "Oxygen saturation", "%", 3, rising: false),
    ];
    private readonly PatientAlertSettings settings;
    private readonly AlertingPolicy policy;

    /// <summary>Creates the rules for a patient's settings.</summary>
    public PatientRules(PatientAlertSettings settings, AlertingPolicy policy)
    {
        this.settings = settings;
        this.policy = policy;
        news2 = new News2Rule(settings, policy.News2Freshness, policy.News2Confirmation, policy.News2HoldOff);
        earlyWarning = policy.EarlyWarning ? new EarlyWarning(ClinicianSet(settings)) : null;
        gaps = [.. settings.ExpectedReadings.Select(e => new DataGapRule(e, VitalSignCatalogue.Find(e.Vital)?.Display ?? e.Vital))];
    }

    /// <summary>The latest complete NEWS2, if any.</summary>
    public News2Score? LatestNews2 => news2.Latest;

    /// <summary>Marks conditions as already open (their alerts were loaded from the store).</summary>
    public void Resume(string condition, AlertSeverity severity)
    {
        if (condition == News2Rule.Condition)
        {
            news2.Resume(severity);
        }
        else if (condition == WeightTrend.Condition)
        {
            weight.Resume();
        }
        else if (gaps.FirstOrDefault(g => g.Condition == condition) is { } gap)
        {
            gap.Resume();
        }
        else if (condition == EarlyWarning.Condition)
        {
            earlyWarning?.Resume();
        }
        else if (drifts.FirstOrDefault(d => d.Condition == condition) is { } drift)
        {
            drift.Resume();
        }
        else if (condition.StartsWith(BatteryRule.Prefix, StringComparison.Ordinal))
        {
            battery.Resume(condition);
        }
        else
        {
            foreach (var monitor in thresholds.Values.SelectMany(m => m).Where(m => m.Condition == condition))
            {
                monitor.Resume(severity);
            }
        }
    }

    /// <summary>Prepares the threshold monitors of every catalogue measure, so that open conditions can be resumed.</summary>
    public PatientRules WithAllMeasures()
    {
        foreach (var vital in VitalSignCatalogue.All)
        {
            if (vital.HasComponents)
            {
                foreach (var component in vital.Components)
                {
                    Monitors($"{vital.Key}.{component.Key}");
                }
            }
            else
            {
                Monitors(vital.Key);
            }
        }

        return this;
    }

    /// <summary>Takes an hour's mean of a measure from the store (when a grain activates), for the baseline trends and the early warning.</summary>
    public void RememberHour(string measure, DateTimeOffset hour, double mean, int count)
    {
        foreach (var drift in drifts.Where(d => d.Measure == measure))
        {
            drift.RememberHour(hour, mean, count);
        }

        earlyWarning?.RememberHour(measure, hour, mean, count);
    }

    /// <summary>The measures whose baseline trends and early warning want hourly history when a grain activates.</summary>
    public static IReadOnlyList<string> BaselineMeasures { get; } = EarlyWarning.HistoryMeasures;

    /// <summary>How far back that hourly history reaches.</summary>
    public static TimeSpan BaselineHistory { get; } = TimeSpan.FromDays(15);

    /// <summary>
    /// Takes a reading from before this patient's rules started (the latest values in the store,
    /// when a grain activates) for NEWS2 and trends, without raising anything on old evidence (see
    /// <see cref="ResumeWaiting"/> for a NEWS2 level that was still waiting to be confirmed).
    /// </summary>
    public void Remember(string vital, double? value, IReadOnlyDictionary<string, double>? components, DateTimeOffset time)
    {
        var measures = components is null
            ? value is { } single ? [(vital, single)] : []
            : components.Select(c => ($"{vital}.{c.Key}", c.Value)).ToList();
        var news2Parameter = false;
        foreach (var (measure, measured) in measures)
        {
            news2Parameter |= news2.Take(measure, measured, time);
        }

        if (news2Parameter && news2.ScoreAt(time) is { } score && (remembered is null || time >= remembered.Value.Time))
        {
            remembered = (score, time);
        }

        if (vital == VitalSignCatalogue.BodyWeight.Key && value is { } kg)
        {
            weight.Remember(kg, time);
        }

        foreach (var gap in gaps.Where(g => g.Vital == vital))
        {
            gap.Observe(time);
        }
    }

    /// <summary>
    /// After <see cref="Remember"/>: a NEWS2 level scored less than the confirmation before
    /// <paramref name="now"/> may have been waiting to be confirmed when the rules stopped, so it waits
    /// again from its evidence's time (an older one was confirmed — its alert is open — or cleared).
    /// </summary>
    public void ResumeWaiting(DateTimeOffset now)
    {
        if (remembered is { } latest && now - latest.Time < policy.News2Confirmation)
        {
            news2.Assess(latest.Score, latest.Time);
        }
    }

    /// <summary>Takes one reading in the catalogue's canonical unit, from <paramref name="deviceId"/> when known.</summary>
    public RuleEvaluation Observe(string vital, double? value, IReadOnlyDictionary<string, double>? components, DateTimeOffset time, string? deviceId = null) =>
        Observe([new RuleReading(vital, value, components, time, deviceId)]);

    /// <summary>
    /// Takes the readings delivered together (in any order). Every value meets the limits, trends,
    /// emergencies and batteries in time order; NEWS2 is scored once, on the newest values, because
    /// a score is only ever judged on the latest evidence — a delivery of a minute of 1 Hz readings
    /// costs one score, not sixty.
    /// </summary>
    public RuleEvaluation Observe(IReadOnlyList<RuleReading> readings)
    {
        var findings = new List<RuleFinding>();
        DateTimeOffset? news2Time = null;
        foreach (var reading in readings.OrderBy(r => r.Time))
        {
            if (Take(reading, findings))
            {
                news2Time = news2Time is { } before && before > reading.Time ? before : reading.Time;
            }
        }

        if (news2Time is not { } scoredAt || news2.ScoreAt(scoredAt) is not { } score)
        {
            return new RuleEvaluation(findings, null);
        }

        if (news2.Assess(score, scoredAt) is { } news2Finding)
        {
            findings.Add(news2Finding);
        }

        return new RuleEvaluation(findings, score, scoredAt);
    }

    /// <summary>Runs one reading past every rule but NEWS2's scoring; returns whether it was a NEWS2 parameter.</summary>
    private bool Take(RuleReading reading, List<RuleFinding> findings)
    {
        var (vital, value, components, time, deviceId) = reading;
        if (vital == VitalSignCatalogue.DeviceBattery.Key)
        {
            if (value is { } charge && battery.Observe(deviceId ?? "device", charge, time) is { } low)
            {
                findings.Add(low);
            }

            return false;
        }

        // An emergency call or a fall is critical at once, every time; a clinician resolves it.
        if (VitalSignCatalogue.Find(vital) is { IsEvent: true } emergency)
        {
            findings.Add(new RuleFinding($"emergency:{emergency.Key}", AlertSeverity.Critical, $"{emergency.Display}: respond now", time));
            return false;
        }

        var news2Parameter = false;
        if (components is null)
        {
            if (value is { } single)
            {
                news2Parameter = TakeMeasure(vital, single, time, deviceId, findings);
            }
        }
        else
        {
            foreach (var (key, measured) in components)
            {
                news2Parameter |= TakeMeasure($"{vital}.{key}", measured, time, deviceId, findings);
            }
        }

        if (vital == VitalSignCatalogue.BodyWeight.Key && value is { } kg && weight.Observe(kg, time) is { } trend)
        {
            findings.Add(trend);
        }

        foreach (var gap in gaps)
        {
            if (gap.Vital == vital && gap.Observe(time) is { } arriving)
            {
                findings.Add(arriving);
            }
        }

        return news2Parameter;
    }

    private bool TakeMeasure(string measure, double measured, DateTimeOffset time, string? deviceId, List<RuleFinding> findings)
    {
        foreach (var monitor in Monitors(measure))
        {
            if (monitor.Observe(measured, time, deviceId) is { } finding)
            {
                findings.Add(finding);
            }
        }

        foreach (var drift in drifts)
        {
            if (drift.Measure == measure && drift.Observe(measured, time) is { } trendFinding)
            {
                findings.Add(trendFinding);
            }
        }

        if (earlyWarning is not null)
        {
            findings.AddRange(earlyWarning.Observe(measure, measured, time));
        }

        return news2.Take(measure, measured, time);
    }

    /// <summary>Called on a timer: conditions whose hold-off has passed clear, NEWS2 levels that have held count, spot readings are judged, and expected readings that are overdue raise "no data".</summary>
    public IReadOnlyList<RuleFinding> Tick(DateTimeOffset now) =>
    [
        .. thresholds.Values.SelectMany(m => m).Select(m => m.Tick(now)).OfType<RuleFinding>(),
        .. news2.Tick(now) is { } news2Finding ? [news2Finding] : Array.Empty<RuleFinding>(),
        .. earlyWarning?.Tick(now) ?? [],
        .. gaps.Select(g => g.Tick(now)).OfType<RuleFinding>(),
    ];

    private ThresholdMonitor[] Monitors(string measure)
    {
        if (!thresholds.TryGetValue(measure, out var monitors))
        {
            var bands = settings.BandsFor(measure);
            Func<double, DateTimeOffset, AlertSeverity, bool>? isExpected = earlyWarning is { } learnt ? (value, time, severity) => learnt.Explains(measure, value, time, severity) : null;
            var (display, unit) = Describe(measure);
            monitors = bands is null
                ? []
                : [new ThresholdMonitor(bands, low: true, policy.HoldOff, display, unit, isExpected), new ThresholdMonitor(bands, low: false, policy.HoldOff, display, unit, isExpected)];
            thresholds[measure] = monitors;
        }

        return monitors;
    }

    /// <summary>The measures whose limits a clinician set for this patient, and SpO2 when they chose NEWS2 scale 2.</summary>
    private static HashSet<string> ClinicianSet(PatientAlertSettings settings)
    {
        var measures = settings.Thresholds.Select(t => t.Measure).ToHashSet(StringComparer.Ordinal);
        if (settings.SpO2Scale == SpO2Scale.Scale2)
        {
            measures.Add("spo2");
        }

        return measures;
    }

    private static (string Display, string Unit) Describe(string measure) =>
        (VitalSignCatalogue.DisplayOf(measure) ?? measure, VitalSignCatalogue.Find(measure.Split('.')[0])?.CanonicalUnit ?? "");
}
