using OpenWard.Server.Storage;

namespace OpenWard.Server.Patients;

/// <summary>The patients table: names and record numbers sealed at rest, found by a blind index.</summary>
public static class PatientsSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("patients",
    [
        SchemaMigration.Sql(1, "patients as at schema 9", """
            CREATE TABLE IF NOT EXISTS patients (
                id           TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                created_at   INTEGER NOT NULL,
                mrn          TEXT NULL,
                care_team_id TEXT NULL REFERENCES care_teams(id),
                mrn_index    TEXT NULL
            );
            CREATE UNIQUE INDEX IF NOT EXISTS ux_patients_mrn ON patients(mrn) WHERE mrn IS NOT NULL;
            CREATE INDEX IF NOT EXISTS ix_patients_care_team ON patients(care_team_id);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_patients_mrn_index ON patients(mrn_index) WHERE mrn_index IS NOT NULL;
            """),
    ])
    {
        LegacyUpgrades =
        [
            new(2, "patients gained a medical record number", (connection, ct) =>
                SqliteTables.ExecuteAsync(connection, "ALTER TABLE patients ADD COLUMN mrn TEXT NULL;", ct)),
            new(3, "patients belong to a care team; record numbers are sealed and found by a blind index", (connection, ct) =>
                SqliteTables.ExecuteAsync(connection, """
                    ALTER TABLE patients ADD COLUMN care_team_id TEXT NULL REFERENCES care_teams(id);
                    ALTER TABLE patients ADD COLUMN mrn_index TEXT NULL;
                    """, ct)),
        ],
        PostgreSql =
        [
            // The care team's foreign key is added by the people feature's migration, which creates care_teams
            // after this table (its users name patients).
            new(1, "patients", """
                CREATE TABLE patients (
                    id           TEXT PRIMARY KEY,
                    display_name TEXT NOT NULL,
                    created_at   BIGINT NOT NULL,
                    mrn          TEXT NULL,
                    care_team_id TEXT NULL,
                    mrn_index    TEXT NULL
                );
                CREATE UNIQUE INDEX ux_patients_mrn ON patients(mrn) WHERE mrn IS NOT NULL;
                CREATE INDEX ix_patients_care_team ON patients(care_team_id);
                CREATE UNIQUE INDEX ux_patients_mrn_index ON patients(mrn_index) WHERE mrn_index IS NOT NULL;
                """),
        ],
    };
}
