using System.Globalization;

namespace OpenWard.Core.Alerting;

/// <summary>
/// Heart-failure decompensation: body weight up 2 kg or more in 2 days, or 2.5 kg or more in 5
/// days, against the lowest weight in that window (as heart-failure self-care guidance advises).
/// Daily weights are taken at about the same time of day, not to the minute: a weighing up to
/// <see cref="TimeOfDaySlack"/> further back than 2 (or 5) days still counts as that many days
/// earlier, so this morning's weight is compared with the one two mornings ago even when today's
/// was taken a little earlier in the day.
/// </summary>
public sealed class WeightTrend
{
    /// <summary>The condition key.</summary>
    public const string Condition = "trend:body-weight:gain";

    /// <summary>How much further back than a whole number of days a weighing may lie and still count.</summary>
    public static readonly TimeSpan TimeOfDaySlack = TimeSpan.FromHours(3);

    private static readonly TimeSpan ShortWindow = TimeSpan.FromDays(2);
    private static readonly TimeSpan LongWindow = TimeSpan.FromDays(5);

    private readonly List<(DateTimeOffset Time, double Kg)> weights = [];
    private bool active;

    /// <summary>Marks the condition as already open.</summary>
    public void Resume() => active = true;

    /// <summary>Takes an earlier weight into the window without judging it.</summary>
    public void Remember(double kg, DateTimeOffset time) => weights.Add((time, kg));

    /// <summary>Takes a weight (kg); returns a finding when the gain starts or stops meeting the rule.</summary>
    public RuleFinding? Observe(double kg, DateTimeOffset time)
    {
        weights.RemoveAll(w => w.Time < time - LongWindow - TimeOfDaySlack);
        var gain = Gain(kg, time, ShortWindow, 2.0) ?? Gain(kg, time, LongWindow, 2.5);
        weights.Add((time, kg));
        if (gain is { } found && !active)
        {
            active = true;
            return new RuleFinding(Condition, AlertSeverity.Urgent,
                string.Create(CultureInfo.InvariantCulture, $"Body weight up {found.Kg:0.0} kg in {found.Days} days (now {kg:0.0} kg)"), time);
        }

        if (gain is null && active)
        {
            active = false;
            return new RuleFinding(Condition, null, "Body weight gain no longer meets the rule", time);
        }

        return null;
    }

    private (double Kg, int Days)? Gain(double kg, DateTimeOffset time, TimeSpan window, double limit)
    {
        var earlier = weights.Where(w => w.Time >= time - window - TimeOfDaySlack && w.Time < time).Select(w => w.Kg).ToList();
        return earlier.Count > 0 && kg - earlier.Min() >= limit ? (kg - earlier.Min(), (int)window.TotalDays) : null;
    }
}
