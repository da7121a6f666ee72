using OpenWard.Server.Access;
using OpenWard.Server.Patients;
using OpenWard.Server.People;

namespace OpenWard.Server.BulkExport;

/// <summary>
/// Whose data a caller may export: a clinician the patients of the care teams they are on (not
/// those opened by break-glass, which is for one patient for a short time), an integration client
/// every patient. The route's policy (<see cref="AccessPolicies.ExportClinicalData"/>) has already
/// kept every other role out.
/// </summary>
public sealed class ExportPermissions(CareTeams careTeams, PatientRegistry patients)
{
    /// <summary>The care team as a group the caller may export, with its patients; null when there is none or the caller is not on it.</summary>
    public async Task<(CareTeam Team, IReadOnlyList<string> PatientIds)?> GroupAsync(Caller caller, string careTeamId, CancellationToken cancellationToken)
    {
        var team = (await careTeams.ListAsync(cancellationToken)).FirstOrDefault(t => t.Id == careTeamId);
        if (team is null || !MayExport(caller, team))
        {
            return null;
        }

        return (team, await patients.OnCareTeamAsync(team.Id, cancellationToken));
    }

    /// <summary>Every patient the caller may export.</summary>
    public async Task<IReadOnlyList<string>> PatientsAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (caller is { IsPerson: false, Role: ClientRoles.Integration })
        {
            return [.. (await patients.ListAsync(cancellationToken)).Select(p => p.Id)];
        }

        var ids = new List<string>();
        foreach (var team in (await careTeams.ListAsync(cancellationToken)).Where(t => MayExport(caller, t)))
        {
            ids.AddRange(await patients.OnCareTeamAsync(team.Id, cancellationToken));
        }

        return ids;
    }

    private static bool MayExport(Caller caller, CareTeam team) =>
        caller is { IsPerson: false, Role: ClientRoles.Integration } || (caller.Role == UserRoles.Clinician && team.Members.Contains(caller.Subject));
}
