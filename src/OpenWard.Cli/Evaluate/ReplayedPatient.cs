namespace OpenWard.Cli.Evaluate;

/// <summary>One replayed patient: whether and when a labelled deterioration happened, and when each rule set raised alerts.</summary>
public sealed record ReplayedPatient(string? Scenario, DateTimeOffset? Onset, DateTimeOffset? Event, IReadOnlyDictionary<string, IReadOnlyList<DateTimeOffset>> Alerts);
