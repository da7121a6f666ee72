using OpenWard.Core.Scores;

namespace OpenWard.Core.Alerting;

/// <summary>What the rules made of one reading: conditions that changed, and the NEWS2 it completed, if any.</summary>
public sealed record RuleEvaluation(IReadOnlyList<RuleFinding> Findings, News2Score? News2);
