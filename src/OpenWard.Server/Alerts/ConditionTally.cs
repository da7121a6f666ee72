namespace OpenWard.Server.Alerts;

/// <summary>How many alerts of one condition were raised in a period with one label.</summary>
/// <param name="Condition">The alert's condition, e.g. <c>threshold:heart-rate:high</c> or <c>device-offline:oxi-7</c>.</param>
/// <param name="Actionable">The label given when a person resolved them; null for unlabelled (open, or resolved by OpenWard).</param>
/// <param name="Count">How many.</param>
public sealed record ConditionTally(string Condition, bool? Actionable, int Count);
