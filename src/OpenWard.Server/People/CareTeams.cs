using System.Data;
using System.Security.Cryptography;
using OpenWard.Server.Storage;

namespace OpenWard.Server.People;

/// <summary>Care teams: who is on them and which patients they look after.</summary>
public sealed class CareTeams(ClinicalDatabase database, ICareTeamListener audience, TimeProvider clock)
{
    /// <summary>Creates a care team.</summary>
    public async Task<Outcome<CareTeam>> AddAsync(string name, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            return Outcome<CareTeam>.Refused(ProblemKind.Invalid, "name must be 1 to 200 characters");
        }

        var team = new CareTeam { Id = "team-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)), Name = name };
        return await database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO care_teams (id, name, created_at) VALUES (@id, @name, @created) ON CONFLICT DO NOTHING;";
            insert.AddParameter("@id", team.Id);
            insert.AddParameter("@name", team.Name);
            insert.AddParameter("@created", clock.GetUtcNow().ToUnixTimeMilliseconds());
            return await insert.ExecuteNonQueryAsync(cancellationToken) > 0
                ? Outcome<CareTeam>.Done(team)
                : Outcome<CareTeam>.Refused(ProblemKind.Conflict, "another care team has this name");
        }, cancellationToken);
    }

    /// <summary>Every care team with its members and how many patients it has.</summary>
    public async Task<IReadOnlyList<CareTeam>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT t.id, t.name,
                   (SELECT string_agg(user_id, ' ' ORDER BY user_id) FROM care_team_members WHERE care_team_id = t.id),
                   (SELECT count(*) FROM patients WHERE care_team_id = t.id)
            FROM care_teams t;
            """;
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var teams = new List<CareTeam>();
        while (await reader.ReadAsync(cancellationToken))
        {
            teams.Add(new CareTeam
            {
                Id = reader.GetString(0),
                Name = reader.GetString(1),
                Members = reader.IsDBNull(2) ? [] : reader.GetString(2).Split(' '),
                PatientCount = (int)reader.GetInt64(3),
            });
        }

        return [.. teams.OrderBy(t => t.Name, NameOrder.Instance)];
    }

    /// <summary>Puts a clinician, nurse or administrator on a team (a patient's own account cannot join one).</summary>
    public async Task<Outcome<string>> AddMemberAsync(string teamId, string userId, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO care_team_members (care_team_id, user_id)
                SELECT @team, @user
                WHERE EXISTS (SELECT 1 FROM care_teams WHERE id = @team)
                  AND EXISTS (SELECT 1 FROM users WHERE id = @user AND role <> 'patient')
                ON CONFLICT DO NOTHING;
                SELECT EXISTS (SELECT 1 FROM care_team_members WHERE care_team_id = @team AND user_id = @user);
                """;
            insert.AddParameter("@team", teamId);
            insert.AddParameter("@user", userId);
            return Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1
                ? Outcome<string>.Done(userId)
                : Outcome<string>.Refused(ProblemKind.NotFound, "no such care team, or no such user who may join one (patients' own accounts may not)");
        }, cancellationToken);
    }

    /// <summary>Takes a user off a team.</summary>
    public async Task<bool> RemoveMemberAsync(string teamId, string userId, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async connection =>
        {
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM care_team_members WHERE care_team_id = @team AND user_id = @user;";
            delete.AddParameter("@team", teamId);
            delete.AddParameter("@user", userId);
            return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);
    }

    /// <summary>Moves a patient to a care team (or, with null, out of every team).</summary>
    public async Task<Outcome<string>> AssignPatientAsync(string patientId, string? teamId, CancellationToken cancellationToken)
    {
        var changed = await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = """
                UPDATE patients SET care_team_id = @team
                WHERE id = @patient AND (@team IS NULL OR EXISTS (SELECT 1 FROM care_teams WHERE id = @team));
                """;
            update.AddParameter("@patient", patientId);
            update.AddParameter("@team", teamId).DbType = DbType.String; // typed even when null, which PostgreSQL cannot infer from "@team IS NULL"
            return await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        if (changed == 0)
        {
            return Outcome<string>.Refused(ProblemKind.NotFound, "no such patient or care team");
        }

        // From now on the patient's alerts and notices go to the new team's consoles, not the old one's.
        audience.CareTeamChanged(patientId);
        return Outcome<string>.Done(patientId);
    }
}
