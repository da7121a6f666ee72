using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using OpenWard.Server.Access;
using OpenWard.Server.People;

namespace OpenWard.Server.Alerts;

/// <summary>
/// <c>/hubs/alerts</c>: clinicians' consoles receive alert changes (<c>alert</c> messages with the
/// <see cref="Alert"/>) as they happen — only for the patients of their care teams (integration
/// clients receive every patient's) — and the ids of patients with new readings (<c>ward</c>
/// messages, see <see cref="WardOverview.WardNotices"/>); a patient's portal receives only its own <c>ward</c>
/// messages. Who hears what is <see cref="PatientAudience"/>'s; team membership is read when the console connects. A connection is closed when its access
/// token expires and when the caller's sessions end (<see cref="LiveAlertConnections"/>).
/// </summary>
[Authorize(Policy = AccessPolicies.ReadClinicalData)]
public sealed class AlertsHub(UserDirectory users, LiveAlertConnections connections) : Hub
{
    /// <summary>The hub's path.</summary>
    public const string Path = "/hubs/alerts";

    /// <summary>The client method that receives alerts.</summary>
    public const string AlertMessage = "alert";

    /// <summary>Puts the connection in the groups its caller may hear (<see cref="PatientAudience.GroupsOf"/>).</summary>
    public override async Task OnConnectedAsync()
    {
        var caller = Context.User is null ? null : Caller.From(Context.User);
        if (caller is not null)
        {
            connections.Add(caller.AuditName, Context);
        }

        var person = caller is { IsPerson: true } ? await users.FindAsync(caller.Subject, Context.ConnectionAborted) : null;
        foreach (var group in PatientAudience.GroupsOf(caller, person))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group);
        }

        await base.OnConnectedAsync();
    }

    /// <summary>Forgets the connection.</summary>
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
