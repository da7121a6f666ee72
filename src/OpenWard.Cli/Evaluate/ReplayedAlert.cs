using OpenWard.Core.Alerting;

namespace OpenWard.Cli.Evaluate;

/// <summary>An alert the live server would have raised: for whom, at what data time, by which rule (condition), how severe.</summary>
public sealed record ReplayedAlert(string Patient, DateTimeOffset Time, string Rule, AlertSeverity Severity);
