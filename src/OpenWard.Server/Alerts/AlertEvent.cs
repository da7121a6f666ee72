namespace OpenWard.Server.Alerts;

/// <summary>One step of an alert's history: raised, updated, escalated, acknowledged, commented, resolved.</summary>
public sealed record AlertEvent(DateTimeOffset At, string Kind, string Actor, string? Detail);
