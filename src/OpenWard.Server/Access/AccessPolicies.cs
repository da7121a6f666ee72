using Microsoft.AspNetCore.Authorization;

namespace OpenWard.Server.Access;

/// <summary>
/// What each role may do. Which patients a caller may do it to is decided by relationship in
/// <see cref="PatientAccess"/> (applied by <see cref="PatientAccessFilters"/> to every route naming a
/// patient or an alert, and by the list endpoints to what they return).
/// </summary>
public static class AccessPolicies
{
    /// <summary>Register and revoke devices and models, add patients, users, care teams and clients, read dead letters and the audit trail.</summary>
    public const string ManageFleet = "openward:manage-fleet";

    /// <summary>Read patients' clinical data (within the patients the caller may see).</summary>
    public const string ReadClinicalData = "openward:read-clinical-data";

    /// <summary>Acknowledge, resolve and comment on alerts (clinicians and nurses).</summary>
    public const string ActOnAlerts = "openward:act-on-alerts";

    /// <summary>Set a patient's alert limits, NEWS2 scale, oxygen and consciousness (clinicians).</summary>
    public const string SetAlertSettings = "openward:set-alert-settings";

    /// <summary>Open time-limited access to a patient outside one's care teams, giving a reason (clinicians and nurses).</summary>
    public const string BreakGlass = "openward:break-glass";

    /// <summary>A person signed in (not an API client): their own account and second factor.</summary>
    public const string Person = "openward:person";

    /// <summary>Submit readings on behalf of devices (FHIR ingestion by integrations and gateways).</summary>
    public const string SubmitReadings = "openward:submit-readings";

    /// <summary>Enter a reading by hand for a patient (from a cuff or meter that is not connected): the patient, or their care team.</summary>
    public const string EnterReadings = "openward:enter-readings";

    /// <summary>Write clinical notes on a patient (clinicians and nurses).</summary>
    public const string WriteNotes = "openward:write-notes";

    /// <summary>Confirm that a portal account made for a patient is theirs (clinicians and nurses; of the patient's care team, checked per patient).</summary>
    public const string ConfirmPortalAccounts = "openward:confirm-portal-accounts";

    /// <summary>Export patients' data in bulk (FHIR <c>$export</c>): clinicians, for their care teams' patients, and integration clients.</summary>
    public const string ExportClinicalData = "openward:export-clinical-data";

    /// <summary>Registers the policies.</summary>
    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(ManageFleet, policy => policy.RequireAuthenticatedUser().RequireRole(ClientRoles.Administrator));
        options.AddPolicy(ReadClinicalData, policy => policy.RequireAuthenticatedUser().RequireRole(
            UserRoles.Clinician, UserRoles.Nurse, UserRoles.Patient, UserRoles.Administrator, ClientRoles.Integration));
        options.AddPolicy(ActOnAlerts, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.Clinician, UserRoles.Nurse));
        options.AddPolicy(SetAlertSettings, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.Clinician));
        options.AddPolicy(BreakGlass, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.Clinician, UserRoles.Nurse)
            .RequireClaim(Caller.KindClaim, Caller.PersonKind));
        options.AddPolicy(EnterReadings, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.Clinician, UserRoles.Nurse, UserRoles.Patient)
            .RequireClaim(Caller.KindClaim, Caller.PersonKind));
        options.AddPolicy(WriteNotes, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.Clinician, UserRoles.Nurse)
            .RequireClaim(Caller.KindClaim, Caller.PersonKind));
        options.AddPolicy(ConfirmPortalAccounts, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.Clinician, UserRoles.Nurse)
            .RequireClaim(Caller.KindClaim, Caller.PersonKind));
        options.AddPolicy(ExportClinicalData, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
            Caller.From(context.User) is { IsPerson: true, Role: UserRoles.Clinician } or { IsPerson: false, Role: ClientRoles.Integration }));
        options.AddPolicy(Person, policy => policy.RequireAuthenticatedUser().RequireClaim(Caller.KindClaim, Caller.PersonKind));
        options.AddPolicy(SubmitReadings, policy => policy.RequireAuthenticatedUser()
            .RequireRole(ClientRoles.Administrator, ClientRoles.Integration).RequireClaim(Caller.KindClaim, Caller.ClientKind));
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
