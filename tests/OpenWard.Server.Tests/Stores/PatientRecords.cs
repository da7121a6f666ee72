using OpenWard.Server.Patients;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Patients on record for the stores whose rows name them: the patients' table as the patients feature makes
/// it, rows added with plain SQL as its store writes them (the patients' store is held to both engines by its
/// own tests), and care teams for its foreign key where people's tables are not in the store.
/// </summary>
public static class PatientRecords
{
    private const string CareTeamsTable = "CREATE TABLE care_teams (id TEXT PRIMARY KEY);";

    /// <summary>A care teams table of ids only, on both engines: what the patients' table needs of people's tables.</summary>
    public static FeatureSchema CareTeamIds { get; } = new("care-teams", [SchemaMigration.Sql(1, "care teams' ids", CareTeamsTable)])
    {
        PostgreSql = [new(1, "care teams' ids", CareTeamsTable)],
    };

    /// <summary>The patients' table, after <see cref="CareTeamIds"/>; with people's tables instead, <see cref="PatientsSchema.Definition"/> alone.</summary>
    public static FeatureSchema[] Schemas { get; } = [CareTeamIds, PatientsSchema.Definition];

    /// <summary>Adds a patient with this id, on a care team when given; the name is left in clear, which a store opens as it is.</summary>
    public static Task AddAsync(ClinicalDatabase database, string id, string? careTeamId = null) =>
        StoredValues.ExecuteAsync(database, "INSERT INTO patients (id, display_name, created_at, care_team_id) VALUES (@id, 'A patient', 0, @team);",
            ("@id", id), ("@team", careTeamId));

    /// <summary>Adds a care team with this id to <see cref="CareTeamIds"/>' table.</summary>
    public static Task AddCareTeamAsync(ClinicalDatabase database, string id) =>
        StoredValues.ExecuteAsync(database, "INSERT INTO care_teams (id) VALUES (@id);", ("@id", id));
}
