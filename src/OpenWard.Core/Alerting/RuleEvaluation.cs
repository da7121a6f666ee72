using OpenWard.Core.Scores;

namespace OpenWard.Core.Alerting;

/// <summary>What the rules made of readings: conditions that changed, and the NEWS2 they completed (with its time), if any.</summary>
public sealed record RuleEvaluation(IReadOnlyList<RuleFinding> Findings, News2Score? News2, DateTimeOffset? News2Time = null);
