namespace OpenWard.Server.Alerts;

/// <summary>An alert's lifecycle: raised → acknowledged → resolved.</summary>
public static class AlertStates
{
    /// <summary>Raised and not yet acknowledged: it escalates.</summary>
    public const string Raised = "raised";

    /// <summary>A clinician has taken it on.</summary>
    public const string Acknowledged = "acknowledged";

    /// <summary>Over: the condition cleared, or a clinician resolved it.</summary>
    public const string Resolved = "resolved";
}
