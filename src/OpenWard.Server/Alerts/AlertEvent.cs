namespace OpenWard.Server.Alerts;

/// <summary>One step of an alert's history: raised, updated, escalated, acknowledged, commented, resolved.</summary>
/// <param name="At">When it happened.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Actor">Who or what did it, by audit name (<c>user:…</c>, <c>client:…</c>, or the rules and escalation themselves).</param>
/// <param name="Detail">A note or the new evidence, if any.</param>
/// <param name="Actionable">On a person's resolution: whether they found the alert actionable.</param>
/// <param name="ActorName">The person's name when the actor is a person (filled in when an alert is read).</param>
public sealed record AlertEvent(DateTimeOffset At, string Kind, string Actor, string? Detail, bool? Actionable = null, string? ActorName = null);
