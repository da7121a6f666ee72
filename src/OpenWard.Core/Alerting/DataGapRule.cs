using System.Globalization;

namespace OpenWard.Core.Alerting;

/// <summary>
/// "No data": a vital sign the care plan expects has not arrived within its window (a device left
/// at home, a flat battery, a lost connection). Checked on timers; clears with the next reading.
/// </summary>
public sealed class DataGapRule(ExpectedReadings expected, string display)
{
    private DateTimeOffset? last;
    private DateTimeOffset? watchingSince;
    private bool active;

    /// <summary>The expected vital sign's catalogue key.</summary>
    public string Vital => expected.Vital;

    /// <summary>The condition key, e.g. <c>gap:spo2</c>.</summary>
    public string Condition { get; } = "gap:" + expected.Vital;

    /// <summary>Marks the condition as already open.</summary>
    public void Resume() => active = true;

    /// <summary>A reading of the vital sign arrived; clears an open gap.</summary>
    public RuleFinding? Observe(DateTimeOffset time)
    {
        if (last is null || time > last)
        {
            last = time;
        }

        if (!active)
        {
            return null;
        }

        active = false;
        return new RuleFinding(Condition, null, $"{display} readings arriving again", time);
    }

    /// <summary>On a timer: raises the gap once the window has passed without a reading.</summary>
    public RuleFinding? Tick(DateTimeOffset now)
    {
        watchingSince ??= now;
        var since = last ?? watchingSince.Value;
        if (active || now - since <= expected.Within)
        {
            return null;
        }

        active = true;
        var text = last is null
            ? string.Create(CultureInfo.InvariantCulture, $"No {display} readings (expected within {Describe(expected.Within)})")
            : string.Create(CultureInfo.InvariantCulture, $"No {display} readings for {Describe(now - since)} (expected within {Describe(expected.Within)})");
        return new RuleFinding(Condition, AlertSeverity.Warning, text, now);
    }

    private static string Describe(TimeSpan span) => span.TotalHours >= 2
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0} h")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min");
}
