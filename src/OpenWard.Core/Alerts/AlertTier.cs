namespace OpenWard.Core.Alerts;

/// <summary>One step of escalation: who is told, and how long after the alert was raised if nobody has acknowledged it.</summary>
/// <param name="Name">The role told, e.g. "charge nurse".</param>
/// <param name="After">How long after the alert was raised (the first tier is told at once).</param>
public sealed record AlertTier(string Name, TimeSpan After);
