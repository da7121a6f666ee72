using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using OpenWard.Server.Security;

namespace OpenWard.Server.Alerts;

/// <summary>
/// <c>/hubs/alerts</c>: clinicians' consoles receive every alert change (<c>alert</c> messages with
/// the <see cref="Alert"/>) as it happens. Who may connect is decided by the clinical-data policy;
/// scoping to care teams arrives with user accounts.
/// </summary>
[Authorize(Policy = AccessPolicies.ReadClinicalData)]
public sealed class AlertsHub : Hub
{
    /// <summary>The hub's path.</summary>
    public const string Path = "/hubs/alerts";

    /// <summary>The client method that receives alerts.</summary>
    public const string AlertMessage = "alert";
}
