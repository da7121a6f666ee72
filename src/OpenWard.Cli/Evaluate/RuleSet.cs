namespace OpenWard.Cli.Evaluate;

/// <summary>A set of rules under evaluation: the engine that runs them, and which of its conditions count as this set's alerts.</summary>
public sealed record RuleSet(string Name, RuleEngine Engine, Func<string, bool> Counts)
{
    /// <summary>Everything the live server raises: limits, NEWS2, trends, the early warning, data gaps, emergencies, batteries.</summary>
    public static RuleSet OpenWard { get; } = new("OpenWard (as it runs)", RuleEngine.Live, _ => true);

    /// <summary>The live rules without the personalised early warning (nor what it tells the limits about the patient).</summary>
    public static RuleSet WithoutEarlyWarning { get; } = new("OpenWard without the early warning", RuleEngine.LiveWithoutEarlyWarning, _ => true);

    /// <summary>NEWS2 on its own.</summary>
    public static RuleSet News2 { get; } = new("NEWS2 alone", RuleEngine.Live, c => c == Core.Alerting.News2Rule.Condition);

    /// <summary>The personalised early warning on its own.</summary>
    public static RuleSet EarlyWarningAlone { get; } = new("Early warning alone", RuleEngine.Live, c => c == Core.Alerting.EarlyWarning.Condition);

    /// <summary>The same limits as static thresholds.</summary>
    public static RuleSet StaticThresholds { get; } = new("Static thresholds (same limits, no persistence)", RuleEngine.Static, c => c.StartsWith("threshold:", StringComparison.Ordinal));

    /// <summary>Every rule set the evaluation reports, the live one first.</summary>
    public static IReadOnlyList<RuleSet> All { get; } = [OpenWard, WithoutEarlyWarning, News2, EarlyWarningAlone, StaticThresholds];
}
