namespace OpenWard.Core.Alerts;

/// <summary>One step of an alert's life: the alert as it now is, and the entry its history records.</summary>
/// <param name="Alert">The alert after the step (unchanged by a comment).</param>
/// <param name="Change">What the step did.</param>
/// <param name="Actor">Who or what took it: a person or client by audit name, or <see cref="AlertLifecycle.OpenWard"/>.</param>
/// <param name="Detail">A note, the comment, or the evidence, if any.</param>
/// <param name="Actionable">On a person's resolution: whether they found the alert actionable.</param>
public sealed record AlertStep(AlertStatus Alert, AlertChange Change, string Actor, string? Detail, bool? Actionable = null);
