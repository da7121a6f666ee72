using System.Globalization;

namespace OpenWard.Core.Alerting;

/// <summary>
/// A measure drifting away from the patient's own baseline: the mean of the last 6 hours against
/// the median of the hourly means of the 7 days before (at least 2 days of them). Resting heart rate
/// or respiratory rate well above baseline is an early sign of infection or decompensation; a
/// falling saturation, of respiratory decline. Evaluated when an hour completes, so it costs nothing
/// per reading; clears when the recent mean is back within half the margin.
/// </summary>
public sealed class BaselineDrift(string measure, string display, string unit, double margin, bool rising)
{
    private static readonly TimeSpan Recent = TimeSpan.FromHours(6);
    private static readonly TimeSpan History = TimeSpan.FromDays(7);

    private readonly SortedDictionary<DateTimeOffset, (double Sum, int Count)> hours = [];
    private DateTimeOffset? currentHour;
    private bool active;

    /// <summary>The measure watched, e.g. <c>heart-rate</c>.</summary>
    public string Measure => measure;

    /// <summary>The condition key, e.g. <c>trend:heart-rate:above-baseline</c>.</summary>
    public string Condition { get; } = $"trend:{measure}:{(rising ? "above" : "below")}-baseline";

    /// <summary>Marks the condition as already open.</summary>
    public void Resume() => active = true;

    /// <summary>Takes an hour's mean from the store (when the grain activates) without judging it.</summary>
    public void RememberHour(DateTimeOffset hour, double mean, int count) => hours[Hour(hour)] = (mean * count, count);

    /// <summary>Takes a reading; when it starts a new hour, judges the hours completed so far.</summary>
    public RuleFinding? Observe(double value, DateTimeOffset time)
    {
        var hour = Hour(time);
        hours[hour] = hours.TryGetValue(hour, out var bucket) ? (bucket.Sum + value, bucket.Count + 1) : (value, 1);
        if (currentHour is { } current && hour <= current)
        {
            return null;
        }

        currentHour = hour;
        foreach (var old in hours.Keys.Where(h => h < hour - History - Recent).ToList())
        {
            hours.Remove(old);
        }

        return Judge(hour);
    }

    private RuleFinding? Judge(DateTimeOffset now)
    {
        var recent = hours.Where(h => h.Key >= now - Recent && h.Key < now).Select(h => h.Value.Sum / h.Value.Count).ToList();
        var baseline = hours.Where(h => h.Key < now - Recent).Select(h => h.Value.Sum / h.Value.Count).Order().ToList();
        if (recent.Count < 3 || baseline.Count < 48)
        {
            return null;
        }

        var median = baseline[baseline.Count / 2];
        var drift = rising ? recent.Average() - median : median - recent.Average();
        if (!active && drift >= margin)
        {
            active = true;
            return new RuleFinding(Condition, AlertSeverity.Warning, string.Create(CultureInfo.InvariantCulture,
                $"{display} {recent.Average():0} {unit} over 6 h, {drift:0} {(rising ? "above" : "below")} the 7-day baseline of {median:0} {unit}"), now);
        }

        if (active && drift < margin / 2)
        {
            active = false;
            return new RuleFinding(Condition, null, $"{display} back near the patient's baseline", now);
        }

        return null;
    }

    private static DateTimeOffset Hour(DateTimeOffset time) =>
        new(time.UtcDateTime.Year, time.UtcDateTime.Month, time.UtcDateTime.Day, time.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
}
