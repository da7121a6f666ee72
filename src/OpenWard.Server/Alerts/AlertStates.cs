namespace OpenWard.Server.Alerts;

/// <summary>
/// The names of an alert's states, raised → acknowledged → resolved, as the API shows and filters them
/// (the rules of the lifecycle are <see cref="Core.Alerts.AlertLifecycle"/>'s).
/// </summary>
public static class AlertStates
{
    /// <summary>Raised and not yet acknowledged: it escalates.</summary>
    public const string Raised = "raised";

    /// <summary>A clinician has taken it on.</summary>
    public const string Acknowledged = "acknowledged";

    /// <summary>Over: the condition cleared, or a clinician resolved it.</summary>
    public const string Resolved = "resolved";
}
