using OpenWard.Server.Storage;

namespace OpenWard.Server.Access;

/// <summary>Break-glass access: who opened which patient's record outside their care teams, why, and its review.</summary>
public static class BreakGlassSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("break-glass",
    [
        SchemaMigration.Sql(1, "break-glass access as at schema 9", """
            CREATE TABLE IF NOT EXISTS break_glass (
                id          TEXT PRIMARY KEY,
                user_id     TEXT NOT NULL REFERENCES users(id),
                patient_id  TEXT NOT NULL REFERENCES patients(id),
                reason      TEXT NOT NULL,
                opened_at   INTEGER NOT NULL,
                expires_at  INTEGER NOT NULL,
                reviewed_by TEXT NULL,
                reviewed_at INTEGER NULL
            );
            CREATE INDEX IF NOT EXISTS ix_break_glass_access ON break_glass(user_id, patient_id, expires_at);
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "break-glass access", """
                CREATE TABLE break_glass (
                    id          TEXT PRIMARY KEY,
                    user_id     TEXT NOT NULL REFERENCES users(id),
                    patient_id  TEXT NOT NULL REFERENCES patients(id),
                    reason      TEXT NOT NULL,
                    opened_at   BIGINT NOT NULL,
                    expires_at  BIGINT NOT NULL,
                    reviewed_by TEXT NULL,
                    reviewed_at BIGINT NULL
                );
                CREATE INDEX ix_break_glass_access ON break_glass(user_id, patient_id, expires_at);
                """),
        ],
    };
}
