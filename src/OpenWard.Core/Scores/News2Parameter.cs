namespace OpenWard.Core.Scores;

/// <summary>One NEWS2 parameter as scored: its name, the value used, and its sub-score (null when missing).</summary>
public sealed record News2Parameter(string Name, string? Value, int? Score);
