namespace OpenWard.Core.Alerts;

/// <summary>What one step of an alert's life did, as its history records it.</summary>
public enum AlertChange
{
    /// <summary>A rule found the condition and no alert was open for it.</summary>
    Raised,

    /// <summary>A rule found the condition again while its alert was open.</summary>
    Updated,

    /// <summary>Nobody acknowledged it in time: the next tier is told.</summary>
    Escalated,

    /// <summary>A clinician took it on.</summary>
    Acknowledged,

    /// <summary>Someone added a comment.</summary>
    Commented,

    /// <summary>The condition cleared, or a clinician resolved it.</summary>
    Resolved,
}
