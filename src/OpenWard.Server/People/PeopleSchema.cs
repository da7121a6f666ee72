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
        // User and care team names are found and kept unique whatever their case. SQLite's NOCASE is, on
        // PostgreSQL, ICU's comparison at strength 2 (letters and accents count, case does not), which folds
        // the case of every letter where SQLite folds A to Z only; it orders as a dictionary does, so the
        // stores list names in NOCASE's order themselves (NameOrder).
        // Runs after the patients' migration: users name patients, and the patients' care team, whose
        // foreign key is added here, is a row of care_teams, which begins here.
        PostgreSql =
        [
            new(1, "care teams, users and their memberships", """
                CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

                CREATE TABLE care_teams (
                    id         TEXT PRIMARY KEY,
                    name       TEXT COLLATE nocase NOT NULL UNIQUE,
                    created_at BIGINT NOT NULL
                );
                ALTER TABLE patients ADD FOREIGN KEY (care_team_id) REFERENCES care_teams(id);

                CREATE TABLE users (
                    id              TEXT PRIMARY KEY,
                    user_name       TEXT COLLATE nocase NOT NULL UNIQUE,
                    display_name    TEXT NOT NULL,
                    role            TEXT NOT NULL,
                    patient_id      TEXT NULL REFERENCES patients(id),
                    password_hash   TEXT NOT NULL,
                    failed_sign_ins BIGINT NOT NULL DEFAULT 0,
                    locked_until    BIGINT NULL,
                    disabled_at     BIGINT NULL,
                    created_at      BIGINT NOT NULL,
                    totp_secret     TEXT NULL,
                    totp_enabled    BIGINT NOT NULL DEFAULT 0,
                    totp_last_step  BIGINT NULL,
                    session_generation   BIGINT NOT NULL DEFAULT 0,
                    patient_confirmed_by TEXT NULL,
                    patient_confirmed_at BIGINT NULL
                );

                CREATE TABLE care_team_members (
                    care_team_id TEXT NOT NULL REFERENCES care_teams(id),
                    user_id      TEXT NOT NULL REFERENCES users(id),
                    PRIMARY KEY (care_team_id, user_id)
                );
                CREATE INDEX ix_care_team_members_user ON care_team_members(user_id);
                """),
        ],
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
