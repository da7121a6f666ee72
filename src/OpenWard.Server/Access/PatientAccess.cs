using System.Data.Common;
using System.Security.Claims;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Access;

/// <summary>
/// Authorisation by relationship: a clinician or nurse sees the patients of their care teams (and,
/// for a limited time, one they opened by break-glass); a patient sees only themself, once their care
/// team has confirmed their portal account (<see cref="People.PortalAccountsApi"/>); an
/// integration client sees every patient; an administrator client sees none. Roles decide what a
/// caller may do (<see cref="AccessPolicies"/>); this decides to whom.
/// </summary>
public sealed class PatientAccess(ClinicalDatabase database, TimeProvider clock)
{
    /// <summary>Whether the caller may see this patient's data.</summary>
    public async Task<PatientAccessDecision> DecideAsync(ClaimsPrincipal principal, string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT EXISTS (SELECT 1 FROM patients WHERE id = @patient), @patient IN ({VisiblePatients(principal, query)});";
        query.AddParameter("@patient", patientId);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetBoolean(0)
            ? reader.GetBoolean(1) ? PatientAccessDecision.Allowed : PatientAccessDecision.Denied
            : PatientAccessDecision.NotFound;
    }

    /// <summary>
    /// Why the caller can see no patient's clinical data whatever the patient — an administrator client,
    /// or an administrator on no care team — or null when their relationships decide (everyone else).
    /// Such a caller is told so (403) rather than shown empty lists or "not found".
    /// </summary>
    public async Task<string?> WhyNoClinicalRelationshipAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        switch (Caller.From(principal))
        {
            case { IsPerson: false, Role: ClientRoles.Administrator }:
                return "this is an administrator client: it manages devices, people and care teams and has no clinical relationship with any patient, "
                    + "so it may not see patients' clinical data; read it as a clinician or nurse of the patient's care team, as the patient, "
                    + "or through an integration client (openward clients add NAME --role integration)";
            case { IsPerson: true, Role: UserRoles.Administrator } person:
                await using (var connection = await database.OpenAsync(cancellationToken))
                await using (var query = connection.CreateCommand())
                {
                    query.CommandText = "SELECT EXISTS (SELECT 1 FROM care_team_members WHERE user_id = @caller);";
                    query.AddParameter("@caller", person.Subject);
                    if (Convert.ToBoolean(await query.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture))
                    {
                        return null;
                    }
                }

                return "you are an administrator on no care team: administrators see patients' clinical data only as members of the patients' care team; "
                    + "ask to be added to the team (openward teams add-member TEAM_ID USER_ID)";
            default:
                return null;
        }
    }

    /// <summary>The ids of every patient the caller may see.</summary>
    public async Task<IReadOnlySet<string>> VisiblePatientsAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = VisiblePatients(principal, query) + ";";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var patients = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            patients.Add(reader.GetString(0));
        }

        return patients;
    }

    // One query for both questions, so that "may see this one" and "the ones I may see" cannot disagree.
    private string VisiblePatients(ClaimsPrincipal principal, DbCommand command)
    {
        switch (Caller.From(principal))
        {
            case { IsPerson: false, Role: ClientRoles.Integration }:
                return "SELECT id FROM patients";
            case { IsPerson: true } person:
                command.AddParameter("@caller", person.Subject);
                command.AddParameter("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
                return $"""
                    SELECT p.id FROM patients p JOIN care_team_members m ON m.care_team_id = p.care_team_id
                        JOIN users u ON u.id = m.user_id WHERE m.user_id = @caller AND u.disabled_at IS NULL AND u.role <> '{UserRoles.Patient}'
                    UNION SELECT patient_id FROM users WHERE id = @caller AND role = '{UserRoles.Patient}' AND disabled_at IS NULL
                        AND patient_confirmed_at IS NOT NULL
                    UNION SELECT patient_id FROM break_glass WHERE user_id = @caller AND expires_at > @now
                    """;
            default:
                return "SELECT id FROM patients WHERE 1 = 0";
        }
    }
}
