namespace OpenWard.Server.Access;

/// <summary>The roles a person signing in can hold.</summary>
public static class UserRoles
{
    /// <summary>Manages devices, users and care teams; reads clinical data only when also on a patient's care team.</summary>
    public const string Administrator = "administrator";

    /// <summary>A doctor or advanced practitioner: reads and acts on the patients of their care teams, sets their alert limits.</summary>
    public const string Clinician = "clinician";

    /// <summary>A nurse: reads and acts on the alerts of the patients of their care teams.</summary>
    public const string Nurse = "nurse";

    /// <summary>A patient: reads their own record and who accessed it.</summary>
    public const string Patient = "patient";

    /// <summary>Every role, for validation.</summary>
    public static readonly IReadOnlyList<string> All = [Administrator, Clinician, Nurse, Patient];
}
