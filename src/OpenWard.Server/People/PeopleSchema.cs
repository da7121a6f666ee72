using OpenWard.Server.Storage;

namespace OpenWard.Server.People;

/// <summary>People who sign in, and the care teams (wards) they work in.</summary>
public static class PeopleSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("people",
    [
        SchemaMigration.Sql(1, "care teams, users and their memberships as at schema 9", """
            CREATE TABLE IF NOT EXISTS care_teams (
                id         TEXT PRIMARY KEY,
                name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
                created_at INTEGER NOT NULL
            );

            CREATE TABLE IF NOT EXISTS users (
                id              TEXT PRIMARY KEY,
                user_name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
                display_name    TEXT NOT NULL,
                role            TEXT NOT NULL,
                patient_id      TEXT NULL REFERENCES patients(id),
                password_hash   TEXT NOT NULL,
                failed_sign_ins INTEGER NOT NULL DEFAULT 0,
                locked_until    INTEGER NULL,
                disabled_at     INTEGER NULL,
                created_at      INTEGER NOT NULL,
                totp_secret     TEXT NULL,
                totp_enabled    INTEGER NOT NULL DEFAULT 0,
                totp_last_step  INTEGER NULL,
                session_generation   INTEGER NOT NULL DEFAULT 0,
                patient_confirmed_by TEXT NULL,
                patient_confirmed_at INTEGER NULL
            );

            CREATE TABLE IF NOT EXISTS care_team_members (
                care_team_id TEXT NOT NULL REFERENCES care_teams(id),
                user_id      TEXT NOT NULL REFERENCES users(id),
                PRIMARY KEY (care_team_id, user_id)
            );
            CREATE INDEX IF NOT EXISTS ix_care_team_members_user ON care_team_members(user_id);
            """),
    ])
    {
        LegacyUpgrades =
        [
            // A password change, sign-out or disabling raises the session generation, ending every session issued
            // before. A patient's own account opens their record only once their care team has confirmed it;
            // accounts linked before that rule keep working, marked as such (docs/security.md).
            new(9, "sessions that end, and patient accounts the care team confirms", async (connection, ct) =>
            {
                if (await SqliteTables.ExistsAsync(connection, "users", ct))
                {
                    await SqliteTables.ExecuteAsync(connection, """
                        ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
                        ALTER TABLE users ADD COLUMN patient_confirmed_by TEXT NULL;
                        ALTER TABLE users ADD COLUMN patient_confirmed_at INTEGER NULL;
                        UPDATE users SET patient_confirmed_by = 'schema-upgrade', patient_confirmed_at = created_at WHERE patient_id IS NOT NULL;
                        """, ct);
                }
            }),
        ],
    };
}
