using System.Globalization;

namespace OpenWard.Core.Alerting;

/// <summary>
/// Watches one measure against its limits in one direction (too low, or too high) and decides
/// when the condition starts and clears: a critical value alerts at once (on a continuous signal,
/// once confirmed by a few consecutive readings); a non-critical breach only once it persists; severity only rises while the alert is open; the condition clears only
/// after values have come back inside the limit by the hysteresis margin and stayed there for the
/// hold-off. While open, a reading worse than any before updates the alert with the new evidence.
/// Pure: time comes with each reading and each tick.
/// </summary>
public sealed class ThresholdMonitor(ThresholdBands bands, bool low, TimeSpan holdOff, string display, string unit)
{
    private DateTimeOffset? breachSince;
    private int breachReadings;
    private AlertSeverity? active;
    private DateTimeOffset? clearSince;
    private double worst;
    private int criticalStreak;

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

    /// <summary>Takes one reading; returns a finding when the condition starts, worsens or clears.</summary>
    public RuleFinding? Observe(double value, DateTimeOffset time)
    {
        var severity = Classify(value);
        criticalStreak = severity == AlertSeverity.Critical ? criticalStreak + 1 : 0;
        var unconfirmed = severity == AlertSeverity.Critical && criticalStreak < bands.CriticalConfirmReadings;
        if (unconfirmed)
        {
            // Until confirmed it counts as a non-critical breach, and is not news for an open alert.
            severity = AlertSeverity.Warning;
        }

        if (active is { } open)
        {
            if (IsBackInside(value))
            {
                clearSince ??= time;
                return Tick(time);
            }

            clearSince = null;
            if (severity is { } evidence && !unconfirmed && (evidence > open || (low ? value < worst : value > worst)))
            {
                active = evidence > open ? evidence : open;
                worst = value;
                return Finding(active.Value, evidence, value, time);
            }

            return null;
        }

        if (severity is null)
        {
            breachSince = null;
            breachReadings = 0;
            return null;
        }

        breachSince ??= time;
        breachReadings++;
        if (severity == AlertSeverity.Critical || breachReadings >= bands.PersistenceReadings || time - breachSince >= bands.Persistence)
        {
            active = severity;
            worst = value;
            breachSince = null;
            breachReadings = 0;
            return Finding(severity.Value, severity.Value, value, time);
        }

        return null;
    }

    /// <summary>Called on a timer: clears the condition once the hold-off has passed with values back inside.</summary>
    public RuleFinding? Tick(DateTimeOffset now)
    {
        if (active is null || clearSince is not { } since || now - since < holdOff)
        {
            return null;
        }

        active = null;
        clearSince = null;
        return new RuleFinding(Condition, null, $"{display} back within limits", now);
    }

    private AlertSeverity? Classify(double value) => low
        ? value < bands.CriticalLow ? AlertSeverity.Critical : value < bands.Low ? AlertSeverity.Warning : null
        : value > bands.CriticalHigh ? AlertSeverity.Critical : value > bands.High ? AlertSeverity.Warning : null;

    private bool IsBackInside(double value)
    {
        var limit = low ? bands.Low ?? bands.CriticalLow : bands.High ?? bands.CriticalHigh;
        return limit is null || (low ? value >= limit + bands.Hysteresis : value <= limit - bands.Hysteresis);
    }

    /// <summary>A finding at the alert's severity, described by the limit this value crossed.</summary>
    private RuleFinding Finding(AlertSeverity severity, AlertSeverity evidence, double value, DateTimeOffset time)
    {
        var limit = low
            ? evidence == AlertSeverity.Critical ? bands.CriticalLow : bands.Low
            : evidence == AlertSeverity.Critical ? bands.CriticalHigh : bands.High;
        var text = string.Create(CultureInfo.InvariantCulture, $"{display} {value:0.#} {unit} {(low ? "below" : "above")} {limit:0.#} {unit}");
        return new RuleFinding(Condition, severity, text, time);
    }
}
