using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Patients as far as people's and access's tables need them: rows that accounts, care teams and
/// break-glass accesses can name, with nothing of the patients' own (their store is held to both
/// engines by its own tests). On PostgreSQL the care team's foreign key is people's to add, as on a
/// real store, where the patients' table comes first.
/// </summary>
public static class TeamPatients
{
    /// <summary>A patients table of ids, names and care teams, on both engines.</summary>
    public static FeatureSchema Schema { get; } = new("patients",
    [
        SchemaMigration.Sql(1, "patients and their care teams", """
            CREATE TABLE patients (
                id           TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                created_at   INTEGER NOT NULL,
                care_team_id TEXT NULL REFERENCES care_teams(id)
            );
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "patients and their care teams", """
                CREATE TABLE patients (
                    id           TEXT PRIMARY KEY,
                    display_name TEXT NOT NULL,
                    created_at   BIGINT NOT NULL,
                    care_team_id TEXT NULL
                );
                """),
        ],
    };
}
