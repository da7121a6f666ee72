using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using OpenWard.Server.People;
using OpenWard.Server.Security;

namespace OpenWard.Server.Alerts;

/// <summary>
/// <c>/hubs/alerts</c>: clinicians' consoles receive alert changes (<c>alert</c> messages with the
/// <see cref="Alert"/>) as they happen — only for the patients of their care teams (integration
/// clients receive every patient's). Team membership is read when the console connects.
/// </summary>
[Authorize(Policy = AccessPolicies.ReadClinicalData)]
public sealed class AlertsHub(UserDirectory users) : Hub
{
    /// <summary>The hub's path.</summary>
    public const string Path = "/hubs/alerts";

    /// <summary>The client method that receives alerts.</summary>
    public const string AlertMessage = "alert";

    /// <summary>The group of connections that receive every patient's alerts.</summary>
    public const string EveryPatient = "every-patient";

    /// <summary>The group of connections that receive the alerts of one care team's patients.</summary>
    public static string CareTeamGroup(string careTeamId) => "care-team:" + careTeamId;

    /// <summary>Puts the connection in the groups its caller may hear.</summary>
    public override async Task OnConnectedAsync()
    {
        switch (Context.User is null ? null : Caller.From(Context.User))
        {
            case { IsPerson: false, Role: ClientRoles.Integration }:
                await Groups.AddToGroupAsync(Context.ConnectionId, EveryPatient);
                break;
            case { IsPerson: true } person when await users.FindAsync(person.Subject, Context.ConnectionAborted) is { Disabled: false } user
                                               && user.Role != UserRoles.Patient:
                foreach (var careTeam in user.CareTeams)
                {
                    await Groups.AddToGroupAsync(Context.ConnectionId, CareTeamGroup(careTeam));
                }

                break;
        }

        await base.OnConnectedAsync();
    }
}
