using OpenWard.Core.Alerting;

namespace OpenWard.Cli.Evaluate;

/// <summary>A set of rules under evaluation: how to build one patient's rules, and which of their conditions count.</summary>
public sealed record RuleSet(string Name, Func<PatientRules> Create, Func<string, bool> Counts)
{
    /// <summary>OpenWard's rules as they run: limits with persistence, hysteresis and hold-off, NEWS2, trends.</summary>
    public static RuleSet OpenWard { get; } = new(
        "OpenWard (limits with persistence and hysteresis, NEWS2, trends)",
        () => new PatientRules(new PatientAlertSettings(), new AlertingPolicy()),
        _ => true);

    /// <summary>The same limits as plain static thresholds: every reading outside raises, every reading inside clears.</summary>
    public static RuleSet StaticThresholds { get; } = new(
        "Static thresholds (same limits, no persistence, hysteresis or hold-off)",
        () => new PatientRules(
            new PatientAlertSettings { Thresholds = [.. ThresholdDefaults.All.Select(b => b with { PersistenceReadings = 1, Hysteresis = 0 })] },
            new AlertingPolicy { HoldOff = TimeSpan.Zero }),
        condition => condition.StartsWith("threshold:", StringComparison.Ordinal));
}
