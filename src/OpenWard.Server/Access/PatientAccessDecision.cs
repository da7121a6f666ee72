namespace OpenWard.Server.Access;

/// <summary>Whether a caller may see one patient's data.</summary>
public enum PatientAccessDecision
{
    /// <summary>Yes: on the patient's care team, the patient themself, break-glass in force, or an integration.</summary>
    Allowed,

    /// <summary>No relationship with the patient.</summary>
    Denied,

    /// <summary>There is no such patient.</summary>
    NotFound,
}
