using OpenWard.Core.Alerting;

namespace OpenWard.Cli.Evaluate;

/// <summary>How to build one patient's rules from their settings; several rule sets may count different conditions of one engine.</summary>
public sealed record RuleEngine(string Name, Func<PatientAlertSettings, PatientRules> Create)
{
    /// <summary>The rules exactly as the live server runs them.</summary>
    public static RuleEngine Live { get; } = new("live", settings => new PatientRules(settings, new AlertingPolicy()));

    /// <summary>The live rules with the personalised early warning off — its warnings and what it explains to the limits.</summary>
    public static RuleEngine LiveWithoutEarlyWarning { get; } = new("live-without-early-warning", settings => new PatientRules(settings, new AlertingPolicy { EarlyWarning = false }));

    /// <summary>
    /// The same limits (the patient's own where a clinician set them) as plain static thresholds: every
    /// reading outside raises, every reading inside clears — no smoothing, persistence, hysteresis or hold-off.
    /// </summary>
    public static RuleEngine Static { get; } = new("static", settings => new PatientRules(
        settings with
        {
            Thresholds = [.. ThresholdDefaults.All.Select(d => settings.BandsFor(d.Measure)!).Select(ThresholdBands.Static)],
        },
        new AlertingPolicy { HoldOff = TimeSpan.Zero }));
}
