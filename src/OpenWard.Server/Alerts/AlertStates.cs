using OpenWard.Core.Alerts;

namespace OpenWard.Server.Alerts;

/// <summary>
/// An alert's states, raised → acknowledged → resolved, by the names the server has always used for
/// them (the states and their rules are <see cref="AlertLifecycle"/>'s).
/// </summary>
public static class AlertStates
{
    /// <summary>Raised and not yet acknowledged: it escalates.</summary>
    public const AlertState Raised = AlertState.Raised;

    /// <summary>A clinician has taken it on.</summary>
    public const AlertState Acknowledged = AlertState.Acknowledged;

    /// <summary>Over: the condition cleared, or a clinician resolved it.</summary>
    public const AlertState Resolved = AlertState.Resolved;
}
