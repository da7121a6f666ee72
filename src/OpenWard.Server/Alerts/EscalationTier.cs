namespace OpenWard.Server.Alerts;

/// <summary>One step of escalation: who is notified, and how long after the alert was raised.</summary>
public sealed class EscalationTier
{
    /// <summary>The role notified, e.g. "charge nurse".</summary>
    public string Name { get; set; } = "";

    /// <summary>How long after the alert was raised, if still unacknowledged.</summary>
    public TimeSpan After { get; set; }
}
