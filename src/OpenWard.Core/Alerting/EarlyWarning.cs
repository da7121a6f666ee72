using System.Globalization;
using System.Text;

namespace OpenWard.Core.Alerting;

/// <summary>
/// A personalised, multi-parameter early warning. Each completed hour of a patient's continuous
/// signals — median resting heart rate and breathing rate (hours with fewer than 300 steps), median
/// SpO2 — and their latest temperature is compared with what is normal for this patient at this time
/// of day, learnt from their own last 14 days (the most recent 12 hours, and hours that departed,
/// never become the normal); until a day of their own hours exists, the population's normal stands
/// in. Each sign's departure in its worrying direction is measured in the patient's own spreads
/// (z, at most 3), and the hour's score is the length of those departures together (√Σz²), so it
/// takes two signs moving together — one alone is the limits' and trends' business. A warning is raised once 3 of the last 4 scored hours depart
/// (score ≥ 3.5) and clears after 4 calm hours in a row (score &lt; 2.5). It never replaces NEWS2 or
/// the limits. Pure: time comes with each reading.
/// </summary>
/// <param name="clinicianSet">
/// Measures whose limits a clinician set for this patient (and SpO2 on NEWS2 scale 2): until the
/// patient's own normal is known, the clinician's word stands instead of the population's.
/// </param>
public sealed class EarlyWarning(IReadOnlySet<string> clinicianSet)
{
    /// <summary>The condition key.</summary>
    public const string Condition = "early-warning";

    /// <summary>An hour scoring this much or more departs from the patient's normal.</summary>
    public const double Departs = 3.5;

    /// <summary>An hour scoring less than this is calm.</summary>
    public const double Calm = 2.5;

    private const int RaiseAfter = 3;
    private const int OfLast = 4;
    private const int ClearAfter = 4;
    private const int EnoughHours = 24;
    private const int EnoughSpotReadings = 4;
    private const double LargestDeparture = 3;
    private static readonly TimeSpan History = TimeSpan.FromDays(14);
    private static readonly TimeSpan Recent = TimeSpan.FromHours(12);

    /// <summary>How long after an hour ends its readings may still arrive (a wearable's buffered upload) before the timer judges it.</summary>
    public static readonly TimeSpan LateReadings = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ExertionWindow = TimeSpan.FromMinutes(30);
    private const double ExertionSteps = 600;

    private readonly SortedDictionary<DateTimeOffset, HourOfVitals> hours = [];
    private readonly SortedDictionary<DateTimeOffset, OpenHour> open = [];
    private readonly Dictionary<string, List<(DateTimeOffset Time, double Value)>> spot =
        EarlyWarningSign.Spot.ToDictionary(s => s.Measure, _ => new List<(DateTimeOffset Time, double Value)>(), StringComparer.Ordinal);
    private readonly Dictionary<(string Measure, DateTimeOffset Hour), PersonalNormal> normals = [];
    private readonly Dictionary<(string Measure, DateTimeOffset Hour), (double Low, double High)> usualRanges = [];
    private readonly List<(DateTimeOffset Time, double Steps)> recentSteps = [];
    private readonly Queue<bool> lastScored = new();
    private int calmHours;
    private bool active;
    private bool historyUnjudged;

    /// <summary>The measures whose hourly history the early warning takes from the store when a grain activates.</summary>
    public static IReadOnlyList<string> HistoryMeasures { get; } = ["heart-rate", "respiratory-rate", "spo2", "body-temperature", "step-count"];

    private static readonly HashSet<string> Measures = [.. HistoryMeasures, .. EarlyWarningSign.Spot.Select(s => s.Measure)];

    /// <summary>Marks the condition as already open.</summary>
    public void Resume() => active = true;

    /// <summary>
    /// Takes a completed hour's mean of a measure from the store (when a grain activates), as history;
    /// which of those hours departed is judged when the history is first needed.
    /// </summary>
    public void RememberHour(string measure, DateTimeOffset hour, double mean, int count)
    {
        hour = Hour(hour);
        normals.Clear();
        usualRanges.Clear();
        if (spot.TryGetValue(measure, out var readings))
        {
            readings.Add((hour, mean));
            readings.Sort((a, b) => a.Time.CompareTo(b.Time));
            return;
        }

        var known = hours.GetValueOrDefault(hour) ?? new HourOfVitals(hour, null, null, null, null);
        hours[hour] = measure switch
        {
            "heart-rate" => known with { HeartRate = mean },
            "respiratory-rate" => known with { RespiratoryRate = mean },
            "spo2" => known with { SpO2 = mean },
            "step-count" => known with { Steps = mean * count },
            _ => known,
        };
        historyUnjudged = true;
    }

    /// <summary>
    /// Called on a timer: every hour that ended more than <see cref="LateReadings"/> ago is judged,
    /// whether or not a later reading has come — the hour before a device falls silent matters most.
    /// </summary>
    public IReadOnlyList<RuleFinding> Tick(DateTimeOffset now) => CompleteHoursBefore(now);

    /// <summary>Takes a reading into its hour; judges every hour that ended more than <see cref="LateReadings"/> before it.</summary>
    public IReadOnlyList<RuleFinding> Observe(string measure, double value, DateTimeOffset time)
    {
        if (!Measures.Contains(measure))
        {
            return [];
        }

        var hour = Hour(time);
        if (spot.TryGetValue(measure, out var readings))
        {
            readings.Add((time, value));
            normals.Clear();
        }
        else if (!hours.ContainsKey(hour))
        {
            // A reading for an hour already judged (an upload later than the grace) is not counted again.
            if (!open.TryGetValue(hour, out var accumulating))
            {
                accumulating = new OpenHour();
                open[hour] = accumulating;
            }

            accumulating.Add(measure, value);
            if (measure == "step-count")
            {
                recentSteps.RemoveAll(s => s.Time <= time - ExertionWindow);
                recentSteps.Add((time, value));
            }
        }

        return CompleteHoursBefore(time);
    }

    private IReadOnlyList<RuleFinding> CompleteHoursBefore(DateTimeOffset now)
    {
        List<RuleFinding>? findings = null;
        while (Oldest() is var (hour, accumulated) && accumulated is not null && hour.AddHours(1) + LateReadings <= now)
        {
            open.Remove(hour);
            if (Complete(accumulated.Close(hour), now) is { } finding)
            {
                (findings ??= []).Add(finding);
            }
        }

        return findings ?? (IReadOnlyList<RuleFinding>)[];
    }

    /// <summary>The oldest hour still taking readings, if any (read without allocating: this runs for every reading).</summary>
    private KeyValuePair<DateTimeOffset, OpenHour?> Oldest()
    {
        foreach (var (hour, accumulating) in open)
        {
            return new(hour, accumulating);
        }

        return default;
    }

    /// <summary>Judges a closed hour at <paramref name="now"/>: scores it against the patient's normal and decides whether the warning starts or clears.</summary>
    private RuleFinding? Complete(HourOfVitals completed, DateTimeOffset now)
    {
        var hour = completed.Hour;
        normals.Clear();
        usualRanges.Clear();
        foreach (var old in hours.Keys.Where(h => h < hour - History).ToList())
        {
            hours.Remove(old);
        }

        foreach (var readings in spot.Values)
        {
            readings.RemoveAll(t => t.Time < hour - History);
        }

        var departures = Departures(completed);
        var score = Score(departures);
        hours[hour] = completed with { Departed = departures.Count > 0 && score >= Calm };
        if (departures.Count == 0)
        {
            return null;
        }

        lastScored.Enqueue(score >= Departs);
        if (lastScored.Count > OfLast)
        {
            lastScored.Dequeue();
        }

        calmHours = score < Calm ? calmHours + 1 : 0;
        if (!active && score >= Departs && lastScored.Count(d => d) >= RaiseAfter)
        {
            active = true;
            return new RuleFinding(Condition, AlertSeverity.Warning, Explain(departures), now);
        }

        if (active && calmHours >= ClearAfter)
        {
            active = false;
            return new RuleFinding(Condition, null, "Back within this patient's usual range", now);
        }

        return null;
    }

    /// <summary>How far each sign of the hour is from the patient's normal, in the worrying direction.</summary>
    private List<Departure> Departures(HourOfVitals hour)
    {
        var departures = new List<Departure>();
        foreach (var sign in EarlyWarningSign.Hourly)
        {
            if (hour.ValueOf(sign) is not { } value || (sign.RestingOnly && !hour.Resting))
            {
                continue;
            }

            var normal = NormalOf(sign, hour.Hour);
            if (normal.Personal || !clinicianSet.Contains(sign.Measure))
            {
                departures.Add(Departure.Of(sign, value, normal));
            }
        }

        // The latest temperature of the last 12 hours, against the patient's temperatures from before then.
        var end = hour.Hour.AddHours(1);
        var latest = spot[EarlyWarningSign.Temperature.Measure].LastOrDefault(t => t.Time < end && t.Time >= end - Recent);
        if (latest.Time != default && SpotNormal(EarlyWarningSign.Temperature, latest.Time) is var usual && (usual.Personal || !clinicianSet.Contains(EarlyWarningSign.Temperature.Measure)))
        {
            departures.Add(Departure.Of(EarlyWarningSign.Temperature, latest.Value, usual));
        }

        return departures;
    }

    /// <summary>
    /// Whether this patient's own history explains a warning-level value beyond a limit at
    /// <paramref name="time"/>, so that the limit need not alert: a heart or breathing rate above
    /// their normal while they are exerting themselves (at least 600 steps in the last 30 minutes); or
    /// a value their own hours at this time of day have held (no lower than the 10th percentile of
    /// those hours' lows and no higher than the 90th of their highs, each hour's range being where
    /// most of its readings lay; widened by the sign's smallest spread; for blood pressure and
    /// temperature, the 10th to 90th percentile of their spot readings) — never while only the
    /// population's normal is known, never for a measure whose limits a clinician set for this
    /// patient. A critical value is never explained.
    /// </summary>
    public bool Explains(string measure, double value, DateTimeOffset time, AlertSeverity severity)
    {
        var spotSign = EarlyWarningSign.Spot.FirstOrDefault(s => s.Measure == measure);
        var sign = spotSign ?? EarlyWarningSign.Hourly.FirstOrDefault(s => s.Measure == measure);
        if (sign is null || severity != AlertSeverity.Warning)
        {
            return false;
        }

        var normal = spotSign is not null ? SpotNormal(spotSign, time) : NormalOf(sign, Hour(time));
        if (sign.RestingOnly && sign.Rising && value > normal.Value && recentSteps.Where(s => s.Time > time - ExertionWindow && s.Time <= time).Sum(s => s.Steps) >= ExertionSteps)
        {
            return true;
        }

        if (!normal.Personal || clinicianSet.Contains(measure))
        {
            return false;
        }

        var (usualLow, usualHigh) = spotSign is not null ? (normal.UsualLow, normal.UsualHigh) : UsualRangeOf(sign, Hour(time));
        return value >= usualLow - sign.SmallestSpread && value <= usualHigh + sign.SmallestSpread;
    }

    /// <summary>The range an hourly sign's readings have held at this time of day in the patient's own history (see <see cref="Explains"/>).</summary>
    private (double Low, double High) UsualRangeOf(EarlyWarningSign sign, DateTimeOffset hour)
    {
        if (usualRanges.TryGetValue((sign.Measure, hour), out var known))
        {
            return known;
        }

        var lows = new List<double>();
        var highs = new List<double>();
        foreach (var past in hours.Values)
        {
            if (past.Hour >= hour - History && past.Hour < hour - Recent && !past.Departed && TimeOfDay(past.Hour) == TimeOfDay(hour)
                && (!sign.RestingOnly || past.Resting) && past.RangeOf(sign) is { } range)
            {
                lows.Add(range.Low);
                highs.Add(range.High);
            }
        }

        if (lows.Count == 0)
        {
            return usualRanges[(sign.Measure, hour)] = (double.NaN, double.NaN);
        }

        lows.Sort();
        highs.Sort();
        return usualRanges[(sign.Measure, hour)] = (lows[(int)(0.1 * (lows.Count - 1))], highs[(int)Math.Ceiling(0.9 * (highs.Count - 1))]);
    }

    /// <summary>The patient's normal for an hourly sign at an hour's time of day, from their history before the recent 12 hours.</summary>
    private PersonalNormal NormalOf(EarlyWarningSign sign, DateTimeOffset hour)
    {
        if (historyUnjudged)
        {
            JudgeHistory();
        }

        if (normals.TryGetValue((sign.Measure, hour), out var known))
        {
            return known;
        }

        var all = new List<double>();
        var sameTimeOfDay = new List<double>();
        foreach (var past in hours.Values)
        {
            if (past.Hour < hour - History || past.Hour >= hour - Recent || past.Departed || (sign.RestingOnly && !past.Resting) || past.ValueOf(sign) is not { } pastValue)
            {
                continue;
            }

            all.Add(pastValue);
            if (TimeOfDay(past.Hour) == TimeOfDay(hour))
            {
                sameTimeOfDay.Add(pastValue);
            }
        }

        return normals[(sign.Measure, hour)] = PersonalNormal.Of(sign, all, sameTimeOfDay, EnoughHours);
    }

    /// <summary>The patient's normal of a spot sign, from their readings more than 12 hours before <paramref name="time"/>.</summary>
    private PersonalNormal SpotNormal(EarlyWarningSign sign, DateTimeOffset time)
    {
        // Readings more than 12 hours back change only when a reading arrives: once an hour is enough.
        var key = (sign.Measure, Hour(time));
        if (normals.TryGetValue(key, out var known))
        {
            return known;
        }

        var past = spot[sign.Measure].Where(t => t.Time < time - Recent && t.Time >= time - History).Select(t => t.Value).ToList();
        return normals[key] = PersonalNormal.Of(sign, past, [], EnoughSpotReadings);
    }

    /// <summary>What a clinician reads: each sign that moved (heart rate, breathing, saturation, temperature, in that order).</summary>
    private static string Explain(List<Departure> departures)
    {
        var moved = departures.Where(d => d.Z >= 1.5).ToList();
        var text = new StringBuilder();
        var others = false;
        foreach (var departure in moved)
        {
            var (sign, value, normal) = (departure.Sign, departure.Value, departure.Normal);
            var unit = sign.Unit == "Cel" ? "°C" : sign.Unit;
            var format = sign.Unit == "Cel" ? "0.0" : "0";
            var difference = Math.Abs(value - normal.Value).ToString(format, CultureInfo.InvariantCulture);
            if (text.Length == 0)
            {
                var whose = normal.Personal ? "this patient's usual for the time of day" : "the usual for adults (too little of this patient's history yet)";
                text.Append(CultureInfo.InvariantCulture,
                    $"{char.ToUpperInvariant(sign.Display[0])}{sign.Display[1..]} {difference} {unit} {(sign.Rising ? "above" : "below")} {whose} ({value.ToString(format, CultureInfo.InvariantCulture)} against {normal.Value.ToString(format, CultureInfo.InvariantCulture)} {unit})");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"{(others ? "," : ", with")} {sign.Display} {(sign.Rising ? "up" : "down")} {difference} {unit}");
                others = true;
            }
        }

        text.Append(CultureInfo.InvariantCulture, $" — {RaiseAfter} of the last {OfLast} hours");
        return text.ToString();
    }

    private static int TimeOfDay(DateTimeOffset hour) => hour.UtcDateTime.Hour / 4;

    private static DateTimeOffset Hour(DateTimeOffset time) =>
        new(time.UtcDateTime.Year, time.UtcDateTime.Month, time.UtcDateTime.Day, time.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);

    /// <summary>The length of an hour's departures together, each counted up to <see cref="LargestDeparture"/>.</summary>
    private static double Score(List<Departure> departures) => Math.Sqrt(departures.Sum(d => d.Z > 0 ? d.Z * d.Z : 0));

    /// <summary>Judges the hours taken from the store, oldest first, so that those that departed never become the normal.</summary>
    private void JudgeHistory()
    {
        historyUnjudged = false;
        foreach (var hour in hours.Keys.ToList())
        {
            var departures = Departures(hours[hour]);
            hours[hour] = hours[hour] with { Departed = departures.Count > 0 && Score(departures) >= Calm };
            normals.Clear();
        }

        usualRanges.Clear();
    }

    /// <summary>An hour still taking readings: each hourly sign's median so far, and its steps.</summary>
    private sealed class OpenHour
    {
        private readonly HourlyMedian heartRate = new(20, 300);
        private readonly HourlyMedian respiratoryRate = new(2, 80);
        private readonly HourlyMedian saturation = new(40, 100);
        private double? steps;

        public void Add(string measure, double value)
        {
            switch (measure)
            {
                case "heart-rate": heartRate.Add(value); break;
                case "respiratory-rate": respiratoryRate.Add(value); break;
                case "spo2": saturation.Add(value); break;
                case "step-count": steps = (steps ?? 0) + value; break;
            }
        }

        public HourOfVitals Close(DateTimeOffset hour)
        {
            var ranges = new Dictionary<string, (double Low, double High)>(StringComparer.Ordinal);
            foreach (var (measure, readings) in new[] { ("heart-rate", heartRate), ("respiratory-rate", respiratoryRate), ("spo2", saturation) })
            {
                if (readings.Count > 0)
                {
                    ranges[measure] = (readings.Quantile(0.1)!.Value, readings.Quantile(0.9)!.Value);
                }
            }

            return new(hour, heartRate.Median(), respiratoryRate.Median(), saturation.Median(), steps) { Ranges = ranges };
        }
    }

    /// <summary>One sign's departure from the patient's normal, in their spreads (positive = the worrying direction).</summary>
    private sealed record Departure(EarlyWarningSign Sign, double Value, PersonalNormal Normal, double Z)
    {
        public static Departure Of(EarlyWarningSign sign, double value, PersonalNormal normal) =>
            new(sign, value, normal, Math.Min(LargestDeparture, (sign.Rising ? value - normal.Value : normal.Value - value) / normal.Spread));
    }
}
