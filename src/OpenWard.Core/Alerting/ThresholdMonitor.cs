using System.Globalization;

namespace OpenWard.Core.Alerting;

/// <summary>
/// Watches one measure against its limits in one direction (too low, or too high) and decides
/// when the condition starts and clears. A spot measurement (a device that measures this less often
/// than every <see cref="SpotInterval"/>) is deliberate and judged on itself; a reading whose rhythm
/// is not known yet (a device's first, or a wearable's first after a gap) counts as part of a
/// continuous signal until the device's next reading says otherwise, or — with none within the spot
/// interval — the timer judges it as the spot measurement it was. A continuous signal, at any cadence, is judged on the readings of the smoothing window:
/// it breaches only while more than half of them do (so one- and two-sample artefacts never count),
/// and alerts once the breach has lasted the persistence (a critical one, the critical persistence);
/// a gap longer than <see cref="SpotInterval"/> starts the evidence afresh. Severity only rises while
/// the alert is open; the condition clears only after values have come back inside the limit by the
/// hysteresis margin and stayed there for the hold-off. While open, a value worse than any before
/// updates the alert with the new evidence. Nothing is raised for a value the patient's own history
/// explains (<paramref name="isExpected"/>, from the early warning): a known beta-blocked heart rate
/// of 48 /min is not news every night, nor a heart rate of 130 /min on a brisk walk.
/// Pure: time comes with each reading and each tick.
/// </summary>
public sealed class ThresholdMonitor(ThresholdBands bands, bool low, TimeSpan holdOff, string display, string unit, Func<double, DateTimeOffset, AlertSeverity, bool>? isExpected = null)
{
    /// <summary>A device that measures less often than this takes spot measurements; a longer gap in a continuous signal starts its evidence afresh.</summary>
    public static readonly TimeSpan SpotInterval = TimeSpan.FromMinutes(15);

    /// <summary>The most readings a smoothing window holds (15 s at 1 Hz; 5 minutes at one a minute).</summary>
    private const int WindowReadings = 15;

    private readonly Dictionary<string, (DateTimeOffset Last, Rhythm Rhythm)> devices = new(StringComparer.Ordinal);
    private readonly List<(string Device, double Value, DateTimeOffset Time)> undecided = [];
    private readonly List<(DateTimeOffset Time, double Value)> window = [];
    private DateTimeOffset? breachSince;
    private DateTimeOffset? criticalSince;
    private AlertSeverity? active;
    private DateTimeOffset? clearSince;
    private double worst;
    private bool clearingContinuous;

    /// <summary>The condition key, e.g. <c>threshold:heart-rate:high</c>.</summary>
    public string Condition { get; } = $"threshold:{bands.Measure}:{(low ? "low" : "high")}";

    /// <summary>The severity of the open condition, if any.</summary>
    public AlertSeverity? Active => active;

    /// <summary>Marks the condition as already open (when the patient's open alerts are loaded after a restart).</summary>
    public void Resume(AlertSeverity severity)
    {
        active = severity;
        worst = low ? double.MaxValue : double.MinValue;
    }

    /// <summary>Takes one reading from <paramref name="deviceId"/>; returns a finding when the condition starts, worsens or clears.</summary>
    public RuleFinding? Observe(double value, DateTimeOffset time, string? deviceId = null)
    {
        var device = deviceId ?? "";
        if (bands.Smoothing is not { } smoothing || smoothing <= TimeSpan.Zero)
        {
            return JudgeSpot(value, time, time);
        }

        var (rhythm, earlier) = RhythmOf(device, time);
        if (rhythm == Rhythm.Spot)
        {
            // The device's earlier reading, whose rhythm was not known, was a spot measurement too.
            var judgedEarlier = earlier is { } first ? JudgeSpot(first.Value, first.Time, time) : null;
            return JudgeSpot(value, time, time) ?? judgedEarlier;
        }

        if (rhythm == Rhythm.Unknown)
        {
            undecided.Add((device, value, time));
        }

        var (breach, median, confirmed) = JudgeSignal(value, time);
        return Decide(breach, median, confirmed, time, time, continuous: true);
    }

    /// <summary>A spot measurement taken at <paramref name="taken"/>, judged on itself at <paramref name="now"/>.</summary>
    private RuleFinding? JudgeSpot(double value, DateTimeOffset taken, DateTimeOffset now) =>
        Decide(Classify(value), value, Classify(value), taken, now, continuous: false);

    /// <summary>
    /// Turns a judged reading (taken at <paramref name="taken"/>) into a finding at <paramref name="time"/>:
    /// the condition starting, worsening, or beginning to clear.
    /// </summary>
    private RuleFinding? Decide(AlertSeverity? breach, double judged, AlertSeverity? confirmed, DateTimeOffset taken, DateTimeOffset time, bool continuous)
    {
        if (active is { } open)
        {
            if (IsBackInside(judged))
            {
                clearingContinuous = continuous;
                clearSince ??= time;
                return Clear(time);
            }

            clearSince = null;
            if (breach is not null && confirmed is { } evidence && (evidence > open || (low ? judged < worst : judged > worst)))
            {
                active = evidence > open ? evidence : open;
                worst = judged;
                return Finding(active.Value, evidence, judged, time, continuous);
            }

            return null;
        }

        if (confirmed is not { } severity || isExpected?.Invoke(judged, taken, severity) == true)
        {
            return null;
        }

        active = severity;
        worst = judged;
        return Finding(severity, severity, judged, time, continuous);
    }

    /// <summary>
    /// Called on a timer: a device's first reading that no second one followed within the spot
    /// interval is judged as the spot measurement it was; the condition clears once the hold-off has
    /// passed with values back inside.
    /// </summary>
    public RuleFinding? Tick(DateTimeOffset now)
    {
        for (var i = 0; i < undecided.Count; i++)
        {
            var (device, value, time) = undecided[i];
            if (now - time >= SpotInterval)
            {
                undecided.RemoveAt(i);
                devices[device] = (devices[device].Last, Rhythm.Spot);
                if (JudgeSpot(value, time, now) is { } spot)
                {
                    return spot;
                }

                i--;
            }
        }

        return Clear(now);
    }

    private RuleFinding? Clear(DateTimeOffset now)
    {
        if (active is null || clearSince is not { } since || now - since < (clearingContinuous ? bands.HoldOff ?? holdOff : holdOff))
        {
            return null;
        }

        active = null;
        clearSince = null;
        return new RuleFinding(Condition, null, $"{display} back within limits", now);
    }

    /// <summary>
    /// How this device measures the measure. Unknown at its first reading, and again after a gap of
    /// more than the spot interval in a continuous signal (a wearable back on the wrist: its next
    /// reading tells); continuous once it measures twice within the spot interval; spot while its
    /// readings come further apart. When an unknown device proves to be spot, its undecided earlier
    /// reading is handed back to be judged as the spot measurement it was.
    /// </summary>
    private (Rhythm Rhythm, (double Value, DateTimeOffset Time)? Earlier) RhythmOf(string device, DateTimeOffset time)
    {
        if (!devices.TryGetValue(device, out var before))
        {
            devices[device] = (time, Rhythm.Unknown);
            return (Rhythm.Unknown, null);
        }

        var close = time > before.Last && time - before.Last < SpotInterval;
        var rhythm = (before.Rhythm, close) switch
        {
            (_, true) => Rhythm.Continuous,
            (Rhythm.Continuous, false) when time > before.Last => Rhythm.Unknown,
            (Rhythm.Continuous, false) => Rhythm.Continuous,
            _ => Rhythm.Spot,
        };
        (double, DateTimeOffset)? earlier = null;
        if (before.Rhythm == Rhythm.Unknown)
        {
            var index = undecided.FindIndex(u => u.Device == device);
            if (index >= 0)
            {
                earlier = rhythm == Rhythm.Spot ? (undecided[index].Value, undecided[index].Time) : null;
                undecided.RemoveAt(index);
            }
        }

        devices[device] = (time > before.Last ? time : before.Last, rhythm);
        return (rhythm, earlier);
    }

    /// <summary>
    /// A continuous signal's reading judged with the window: the window's breach (most of its readings
    /// outside the limit, critical when most are critical), its median, and the severity its persistence has confirmed.
    /// </summary>
    private (AlertSeverity? Breach, double Median, AlertSeverity? Confirmed) JudgeSignal(double value, DateTimeOffset time)
    {
        if (window.Count > 0 && time - window[^1].Time > SpotInterval)
        {
            window.Clear();
            breachSince = null;
            criticalSince = null;
        }

        var at = window.Count;
        while (at > 0 && window[at - 1].Time > time)
        {
            at--;
        }

        window.Insert(at, (time, value));
        var oldest = window[^1].Time - bands.Smoothing!.Value;
        var stale = 0;
        while (stale < window.Count && (window[stale].Time < oldest || window.Count - stale > WindowReadings))
        {
            stale++;
        }

        window.RemoveRange(0, stale);
        int breaching = 0, critical = 0;
        Span<double> values = stackalloc double[window.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = window[i].Value;
            var severity = Classify(values[i]);
            breaching += severity is null ? 0 : 1;
            critical += severity == AlertSeverity.Critical ? 1 : 0;
        }

        values.Sort();
        var median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
        AlertSeverity? breach = critical * 2 > values.Length ? AlertSeverity.Critical : breaching * 2 > values.Length ? AlertSeverity.Warning : null;
        breachSince = breach is null ? null : breachSince ?? time;
        criticalSince = breach == AlertSeverity.Critical ? criticalSince ?? time : null;
        AlertSeverity? confirmed =
            criticalSince is { } critSince && time - critSince >= bands.CriticalPersistence.GetValueOrDefault() ? AlertSeverity.Critical
            : breachSince is { } since && time - since >= bands.Persistence.GetValueOrDefault() ? AlertSeverity.Warning
            : null;
        return (breach, median, confirmed);
    }

    private AlertSeverity? Classify(double value) => low
        ? value < bands.CriticalLow ? AlertSeverity.Critical : value < bands.Low ? AlertSeverity.Warning : null
        : value > bands.CriticalHigh ? AlertSeverity.Critical : value > bands.High ? AlertSeverity.Warning : null;

    private bool IsBackInside(double value)
    {
        var limit = low ? bands.Low ?? bands.CriticalLow : bands.High ?? bands.CriticalHigh;
        return limit is null || (low ? value >= limit + bands.Hysteresis : value <= limit - bands.Hysteresis);
    }

    /// <summary>A finding at the alert's severity, described by the limit this value crossed (and, on a continuous signal, for how long).</summary>
    private RuleFinding Finding(AlertSeverity severity, AlertSeverity evidence, double value, DateTimeOffset time, bool continuous)
    {
        var limit = low
            ? evidence == AlertSeverity.Critical ? bands.CriticalLow : bands.Low
            : evidence == AlertSeverity.Critical ? bands.CriticalHigh : bands.High;
        var text = string.Create(CultureInfo.InvariantCulture, $"{display} {value:0.#} {unit} {(low ? "below" : "above")} {limit:0.#} {unit}");
        var since = evidence == AlertSeverity.Critical ? criticalSince : breachSince;
        if (continuous && since is { } start && time - start >= TimeSpan.FromMinutes(1))
        {
            text += string.Create(CultureInfo.InvariantCulture, $" for {(time - start).TotalMinutes:0} min");
        }

        return new RuleFinding(Condition, severity, text, time);
    }

    private enum Rhythm
    {
        Unknown,
        Continuous,
        Spot,
    }
}
