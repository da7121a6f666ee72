using Microsoft.AspNetCore.Authorization;

namespace OpenWard.Server.Security;

/// <summary>
/// Who may do what. Today the callers are API clients with a role; user accounts, care teams and
/// relationship-based rules plug in here without touching the endpoints.
/// </summary>
public static class AccessPolicies
{
    /// <summary>Register and revoke devices, add patients and clients, read dead letters.</summary>
    public const string ManageFleet = "openward:manage-fleet";

    /// <summary>Read patients' clinical data.</summary>
    public const string ReadClinicalData = "openward:read-clinical-data";

    /// <summary>Acknowledge, resolve and comment on alerts; set patients' alert settings (clinicians, once user accounts exist).</summary>
    public const string ActOnAlerts = "openward:act-on-alerts";

    /// <summary>Submit readings on behalf of devices (FHIR ingestion by integrations and gateways).</summary>
    public const string SubmitReadings = "openward:submit-readings";

    /// <summary>Registers the policies.</summary>
    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(ManageFleet, policy => policy.RequireAuthenticatedUser().RequireRole(ClientRoles.Administrator));
        options.AddPolicy(ReadClinicalData, policy => policy.RequireAuthenticatedUser()
            .RequireRole(ClientRoles.Administrator, ClientRoles.Integration));
        options.AddPolicy(ActOnAlerts, policy => policy.RequireAuthenticatedUser().RequireRole(ClientRoles.Administrator));
        options.AddPolicy(SubmitReadings, policy => policy.RequireAuthenticatedUser()
            .RequireRole(ClientRoles.Administrator, ClientRoles.Integration));
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
