using System.Globalization;

namespace OpenWard.Core.Alerting;

/// <summary>
/// Heart-failure decompensation: body weight up 2 kg or more in 2 days, or 2.5 kg or more in 5
/// days, against the lowest weight in that window (as heart-failure self-care guidance advises).
/// </summary>
public sealed class WeightTrend
{
    /// <summary>The condition key.</summary>
    public const string Condition = "trend:body-weight:gain";

    private readonly List<(DateTimeOffset Time, double Kg)> weights = [];
    private bool active;

    /// <summary>Marks the condition as already open.</summary>
    public void Resume() => active = true;

    /// <summary>Takes an earlier weight into the window without judging it.</summary>
    public void Remember(double kg, DateTimeOffset time) => weights.Add((time, kg));

    /// <summary>Takes a weight (kg); returns a finding when the gain starts or stops meeting the rule.</summary>
    public RuleFinding? Observe(double kg, DateTimeOffset time)
    {
        weights.RemoveAll(w => w.Time < time - TimeSpan.FromDays(5));
        var gain = Gain(kg, time, TimeSpan.FromDays(2), 2.0) ?? Gain(kg, time, TimeSpan.FromDays(5), 2.5);
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
        var earlier = weights.Where(w => w.Time >= time - window && w.Time < time).Select(w => w.Kg).ToList();
        return earlier.Count > 0 && kg - earlier.Min() >= limit ? (kg - earlier.Min(), (int)window.TotalDays) : null;
    }
}
