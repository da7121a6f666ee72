namespace OpenWard.Server.People;

/// <summary>How confirming a patient's portal account ended.</summary>
public enum PortalAccountConfirmation
{
    /// <summary>Confirmed: the account now opens the patient's record.</summary>
    Confirmed,

    /// <summary>The person confirming is not on the patient's care team (break-glass access is not enough).</summary>
    NotOnCareTeam,

    /// <summary>No account of this patient awaits confirmation under that id.</summary>
    NoPendingAccount,
}
