namespace OpenWard.Server.Alerts;

/// <summary>What a channel delivers: an alert change (raised, updated, escalated, acknowledged, resolved) and the alert as it now is.</summary>
public sealed record AlertNotice(string Change, Alert Alert);
