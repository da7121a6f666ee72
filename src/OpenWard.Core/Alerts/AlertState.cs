namespace OpenWard.Core.Alerts;

/// <summary>Where an alert is in its life: raised → acknowledged → resolved.</summary>
public enum AlertState
{
    /// <summary>Raised and not yet acknowledged: it escalates.</summary>
    Raised,

    /// <summary>A clinician has taken it on: escalation has stopped.</summary>
    Acknowledged,

    /// <summary>Over: the condition cleared, or a clinician resolved it.</summary>
    Resolved,
}
