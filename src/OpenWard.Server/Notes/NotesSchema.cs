using OpenWard.Server.Storage;

namespace OpenWard.Server.Notes;

/// <summary>Clinical notes on a patient, their text sealed at rest.</summary>
public static class NotesSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("notes",
    [
        SchemaMigration.Sql(1, "clinical notes as at schema 9", """
            CREATE TABLE IF NOT EXISTS clinical_notes (
                id          TEXT PRIMARY KEY,
                patient_id  TEXT NOT NULL REFERENCES patients(id),
                author      TEXT NOT NULL,
                written_at  INTEGER NOT NULL,
                text        TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_clinical_notes_patient ON clinical_notes(patient_id, written_at);
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "clinical notes", """
                CREATE TABLE clinical_notes (
                    id          TEXT PRIMARY KEY,
                    patient_id  TEXT NOT NULL REFERENCES patients(id),
                    author      TEXT NOT NULL,
                    written_at  BIGINT NOT NULL,
                    text        TEXT NOT NULL
                );
                CREATE INDEX ix_clinical_notes_patient ON clinical_notes(patient_id, written_at);
                """),
        ],
    };
}
