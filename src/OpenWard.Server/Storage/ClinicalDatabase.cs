using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Storage;

/// <summary>
/// The SQLite database file that holds patients, care teams, users, devices, assignments, readings, dead letters and
/// device models' mapping templates (<c>openward.db</c> in the data directory), in WAL mode with
/// full synchronisation so that a committed transaction survives a power cut.
/// </summary>
public sealed class ClinicalDatabase(IOptions<OpenWardOptions> options)
{
    /// <summary>The database file name inside the data directory.</summary>
    public const string FileName = "openward.db";

    private const int SchemaVersion = 9;

    // Readings from many devices touch many index pages per commit, and each commit appends those
    // pages to the write-ahead log. Copying the log back into the database (a checkpoint) every
    // 65,536 pages (256 MiB) rather than SQLite's 1,000 writes a page that changed in many commits
    // once instead of once per commit or two. SQLite checkpoints on the connection whose commit
    // reaches the limit, holding up that commit; WalCheckpointer copies most pages beforehand, once a
    // second on its own connection, so that this checkpoint has little left to copy (docs/benchmarks.md,
    // "One index per reading" and "Checkpoints off the commit path"). After a checkpoint the log file
    // is cut back to 256 MiB.
    private const int CheckpointPages = 65_536;
    private const int WriterCacheKiB = 64 * 1024;

    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(options.Value.DataPath, FileName),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    // SQLite lets one transaction write at a time, and a writer that finds the database busy sleeps
    // and retries (1, 2, 5 … 100 ms). Under load the group commit writes almost continuously, so an
    // alert being raised could sleep through gap after gap for a second. Writers in this process
    // queue here instead, first come first served: an alert waits at most for the commit in progress.
    private readonly SemaphoreSlim writeTurns = new(1, 1);

    /// <summary>
    /// Waits for this process's turn to write; hold it (dispose the result after committing) around a write
    /// transaction on the paths that run while readings stream in: the group commit, alerts, NEWS2
    /// scores, alert deliveries and the audit trail.
    /// </summary>
    public async ValueTask<WriteTurn> WaitToWriteAsync(CancellationToken cancellationToken)
    {
        await writeTurns.WaitAsync(cancellationToken);
        return new WriteTurn(writeTurns);
    }

    /// <summary>Opens a connection with OpenWard's per-connection settings applied.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = $"""
            PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;
            PRAGMA wal_autocheckpoint = {CheckpointPages}; PRAGMA journal_size_limit = {CheckpointPages * 4096L};
            """;
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Opens the connection that writes readings: like <see cref="OpenAsync"/>, with a page cache
    /// large enough to keep every patient's newest index pages in memory between commits.
    /// </summary>
    public async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = $"PRAGMA cache_size = -{WriterCacheKiB};";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Creates the schema on first start and makes the file owner-only.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        int current;
        await using (var version = connection.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version;";
            current = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (current > SchemaVersion)
            {
                throw new InvalidOperationException(
                    $"The database was written by a newer OpenWard (schema {current}); this version understands schema {SchemaVersion}.");
            }
        }

        // Schema 1 → 2: patients gained a medical record number.
        if (current == 1)
        {
            await using var upgrade = connection.CreateCommand();
            upgrade.CommandText = "ALTER TABLE patients ADD COLUMN mrn TEXT NULL;";
            await upgrade.ExecuteNonQueryAsync(cancellationToken);
        }

        // Schema 2 → 3: patients belong to a care team; medical record numbers are sealed and found by a blind index;
        // devices may have a pinned client certificate.
        if (current is 1 or 2)
        {
            await using var upgrade = connection.CreateCommand();
            upgrade.CommandText = """
                ALTER TABLE patients ADD COLUMN care_team_id TEXT NULL REFERENCES care_teams(id);
                ALTER TABLE patients ADD COLUMN mrn_index TEXT NULL;
                """;
            await upgrade.ExecuteNonQueryAsync(cancellationToken);
            if (await TableExistsAsync(connection, "devices", cancellationToken))
            {
                upgrade.CommandText = "ALTER TABLE devices ADD COLUMN certificate_sha256 TEXT NULL;";
                await upgrade.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        // Schema 3 → 4: devices record their firmware version (clinical notes are a new table, created below).
        if (current is 1 or 2 or 3)
        {
            if (await TableExistsAsync(connection, "devices", cancellationToken))
            {
                await using var upgrade = connection.CreateCommand();
                upgrade.CommandText = "ALTER TABLE devices ADD COLUMN firmware TEXT NULL;";
                await upgrade.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        // Schema 4 → 5: the de-duplication index and the patient index become one (created below).
        if (current is 1 or 2 or 3 or 4)
        {
            await using var upgrade = connection.CreateCommand();
            upgrade.CommandText = "DROP INDEX IF EXISTS ux_readings_dedup; DROP INDEX IF EXISTS ix_readings_patient;";
            await upgrade.ExecuteNonQueryAsync(cancellationToken);
        }

        // Schema 5 → 6: readings no longer carry a de-duplication key column; the index of schema 5 already
        // identifies a measurement by vital sign and device time. SQLite rewrites the table once to drop it.
        if (current is 1 or 2 or 3 or 4 or 5)
        {
            await using var upgrade = connection.CreateCommand();
            upgrade.CommandText = "SELECT count(*) FROM pragma_table_info('readings') WHERE name = 'dedup_key';";
            if (Convert.ToInt64(await upgrade.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1)
            {
                upgrade.CommandText = "ALTER TABLE readings DROP COLUMN dedup_key;";
                await upgrade.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        // Schema 6 → 7: devices keep the battery charge they last reported and whether they were connected
        // (last seen already had a column).
        if (current is 1 or 2 or 3 or 4 or 5 or 6)
        {
            if (await TableExistsAsync(connection, "devices", cancellationToken))
            {
                await using var upgrade = connection.CreateCommand();
                upgrade.CommandText = """
                    ALTER TABLE devices ADD COLUMN battery_percent REAL NULL;
                    ALTER TABLE devices ADD COLUMN connected INTEGER NOT NULL DEFAULT 0;
                    """;
                await upgrade.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        // Schema 7 → 8: a person resolving an alert says whether it was actionable, kept on the alert and on
        // its "resolved" event (the alarm-fatigue measures of docs/alerting.md, "Alert quality").
        if (current is 1 or 2 or 3 or 4 or 5 or 6 or 7)
        {
            foreach (var table in (string[])["alerts", "alert_events"])
            {
                if (await TableExistsAsync(connection, table, cancellationToken))
                {
                    await using var upgrade = connection.CreateCommand();
                    upgrade.CommandText = $"ALTER TABLE {table} ADD COLUMN actionable INTEGER NULL;";
                    await upgrade.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }

        // Schema 8 → 9: each person has a session generation; a password change, sign-out or disabling raises it,
        // which ends every sign-in session and token issued before. A patient's own account opens their record only
        // once a clinician or nurse of their care team has confirmed it; accounts linked before that rule keep working,
        // marked as such (docs/security.md).
        if (current is 1 or 2 or 3 or 4 or 5 or 6 or 7 or 8 && await TableExistsAsync(connection, "users", cancellationToken))
        {
            await using var upgrade = connection.CreateCommand();
            upgrade.CommandText = """
                ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE users ADD COLUMN patient_confirmed_by TEXT NULL;
                ALTER TABLE users ADD COLUMN patient_confirmed_at INTEGER NULL;
                UPDATE users SET patient_confirmed_by = 'schema-upgrade', patient_confirmed_at = created_at WHERE patient_id IS NOT NULL;
                """;
            await upgrade.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var create = connection.CreateCommand();
        create.CommandText = Schema;
        await create.ExecuteNonQueryAsync(cancellationToken);

        DataDirectory.RestrictDatabase(Path.Combine(options.Value.DataPath, FileName));
    }

    private static async Task<bool> TableExistsAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $table);";
        query.Parameters.AddWithValue("$table", table);
        return Convert.ToInt64(await query.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    private const string Schema = """
        PRAGMA journal_mode = WAL;

        CREATE TABLE IF NOT EXISTS patients (
            id           TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            created_at   INTEGER NOT NULL,
            mrn          TEXT NULL,
            care_team_id TEXT NULL REFERENCES care_teams(id),
            mrn_index    TEXT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_patients_mrn ON patients(mrn) WHERE mrn IS NOT NULL;

        CREATE TABLE IF NOT EXISTS devices (
            id          TEXT PRIMARY KEY,
            model       TEXT NOT NULL,
            serial      TEXT NOT NULL,
            secret_hash TEXT NOT NULL,
            created_at  INTEGER NOT NULL,
            revoked_at  INTEGER NULL,
            last_seen   INTEGER NULL,
            certificate_sha256 TEXT NULL,
            firmware    TEXT NULL,
            battery_percent REAL NULL,
            connected   INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE IF NOT EXISTS device_assignments (
            id         INTEGER PRIMARY KEY,
            device_id  TEXT NOT NULL REFERENCES devices(id),
            patient_id TEXT NOT NULL REFERENCES patients(id),
            starts_at  INTEGER NOT NULL,
            ends_at    INTEGER NULL
        );
        CREATE INDEX IF NOT EXISTS ix_assignments_device ON device_assignments(device_id, starts_at);

        CREATE TABLE IF NOT EXISTS readings (
            id            INTEGER PRIMARY KEY,
            device_id     TEXT NOT NULL,
            patient_id    TEXT NULL,
            vital         TEXT NOT NULL,
            value         REAL NULL,
            components    TEXT NULL,
            unit          TEXT NOT NULL,
            device_time   INTEGER NOT NULL,
            received_time INTEGER NOT NULL,
            seq           INTEGER NULL
        );
        -- Schema 5: one index serves both the patient's history and de-duplication. A reading is a
        -- duplicate when device, vital sign and device time agree, and a device's reading at a given
        -- time is attributed to one patient. Every index leaf a reading touches is written to the log at
        -- each commit: one index instead of two halves that and the checkpoints' work
        -- (docs/benchmarks.md, "One index per reading"). Schema 6 dropped the key column it made redundant.
        CREATE UNIQUE INDEX IF NOT EXISTS ux_readings_measurement ON readings(patient_id, vital, device_time, device_id);
        -- A NULL patient never collides in a unique index: unattributed readings are kept unique by a
        -- partial index of their own, which readings with a patient never touch.
        CREATE UNIQUE INDEX IF NOT EXISTS ux_readings_unattributed ON readings(device_id, vital, device_time) WHERE patient_id IS NULL;

        CREATE TABLE IF NOT EXISTS dead_letters (
            id          INTEGER PRIMARY KEY,
            received_at INTEGER NOT NULL,
            channel     TEXT NOT NULL,
            device_id   TEXT NOT NULL,
            item_index  INTEGER NULL,
            reason      TEXT NOT NULL,
            raw         TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_dead_letters_received ON dead_letters(received_at);

        -- Schema 2: medical record numbers (above), and mapping templates for device models that send their own JSON.
        CREATE TABLE IF NOT EXISTS device_model_mappings (
            model          TEXT PRIMARY KEY,
            device_mapping TEXT NOT NULL,
            fhir_mapping   TEXT NOT NULL,
            updated_at     INTEGER NOT NULL
        );

        -- Schema 2: alerts, their history, patients' alert settings and NEWS2 scores.
        CREATE TABLE IF NOT EXISTS alerts (
            id                 TEXT PRIMARY KEY,
            patient_id         TEXT NOT NULL,
            condition          TEXT NOT NULL,
            severity           INTEGER NOT NULL,
            state              TEXT NOT NULL,
            summary            TEXT NOT NULL,
            raised_at          INTEGER NOT NULL,
            updated_at         INTEGER NOT NULL,
            acknowledged_by    TEXT NULL,
            acknowledged_at    INTEGER NULL,
            resolved_by        TEXT NULL,
            resolved_at        INTEGER NULL,
            escalation_tier    INTEGER NOT NULL DEFAULT 0,
            next_escalation_at INTEGER NULL,
            actionable         INTEGER NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_alerts_open ON alerts(patient_id, condition) WHERE state <> 'resolved';
        CREATE INDEX IF NOT EXISTS ix_alerts_state ON alerts(state, raised_at);
        CREATE INDEX IF NOT EXISTS ix_alerts_escalation ON alerts(next_escalation_at) WHERE next_escalation_at IS NOT NULL;
        -- Schema 8: alert quality counts the alerts raised in a period (Alerts/AlertQuality.cs).
        CREATE INDEX IF NOT EXISTS ix_alerts_raised ON alerts(raised_at);

        CREATE TABLE IF NOT EXISTS alert_events (
            id       INTEGER PRIMARY KEY,
            alert_id TEXT NOT NULL REFERENCES alerts(id),
            at       INTEGER NOT NULL,
            kind     TEXT NOT NULL,
            actor    TEXT NOT NULL,
            detail   TEXT NULL,
            actionable INTEGER NULL
        );
        CREATE INDEX IF NOT EXISTS ix_alert_events_alert ON alert_events(alert_id, id);

        CREATE TABLE IF NOT EXISTS patient_alert_settings (
            patient_id TEXT PRIMARY KEY REFERENCES patients(id),
            settings   TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            updated_by TEXT NOT NULL
        );

        CREATE TABLE IF NOT EXISTS alert_deliveries (
            id              INTEGER PRIMARY KEY,
            alert_id        TEXT NOT NULL REFERENCES alerts(id),
            channel         TEXT NOT NULL,
            target          TEXT NOT NULL,
            payload         TEXT NOT NULL,
            status          TEXT NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT NULL,
            created_at      INTEGER NOT NULL,
            next_attempt_at INTEGER NULL,
            delivered_at    INTEGER NULL
        );
        CREATE INDEX IF NOT EXISTS ix_alert_deliveries_due ON alert_deliveries(next_attempt_at) WHERE status = 'pending';
        CREATE INDEX IF NOT EXISTS ix_alert_deliveries_alert ON alert_deliveries(alert_id, id);

        CREATE TABLE IF NOT EXISTS news2_scores (
            id         INTEGER PRIMARY KEY,
            patient_id TEXT NOT NULL,
            at         INTEGER NOT NULL,
            total      INTEGER NOT NULL,
            response   TEXT NOT NULL,
            parameters TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_news2_patient ON news2_scores(patient_id, at);

        -- Schema 2: the audit trail, append-only and hash-chained (see OpenWard.Core.Audit.AuditChain).
        CREATE TABLE IF NOT EXISTS audit_log (
            seq           INTEGER PRIMARY KEY,
            at            INTEGER NOT NULL,
            actor         TEXT NOT NULL,
            action        TEXT NOT NULL,
            patient_id    TEXT NULL,
            source        TEXT NOT NULL,
            outcome       TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash          TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_audit_patient ON audit_log(patient_id, seq) WHERE patient_id IS NOT NULL;

        -- Schema 3: people who sign in, the care teams (wards) they work in, and break-glass access.
        CREATE TABLE IF NOT EXISTS care_teams (
            id         TEXT PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_patients_care_team ON patients(care_team_id);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_patients_mrn_index ON patients(mrn_index) WHERE mrn_index IS NOT NULL;

        -- Schema 3: data keys for the sealed columns, wrapped by the key-encryption key (see Security.FieldProtector).
        CREATE TABLE IF NOT EXISTS encryption_keys (
            id         TEXT PRIMARY KEY,
            purpose    TEXT NOT NULL,
            wrapped    TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            retired_at INTEGER NULL
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

        -- Schema 4: clinical notes on a patient (the text sealed at rest).
        CREATE TABLE IF NOT EXISTS clinical_notes (
            id          TEXT PRIMARY KEY,
            patient_id  TEXT NOT NULL REFERENCES patients(id),
            author      TEXT NOT NULL,
            written_at  INTEGER NOT NULL,
            text        TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_clinical_notes_patient ON clinical_notes(patient_id, written_at);

        -- HL7 v2 senders (interface engines, gateways) allowed on the MLLP listeners: devices and care
        -- teams they may submit for, as JSON arrays of ids.
        CREATE TABLE IF NOT EXISTS hl7_senders (
            name               TEXT PRIMARY KEY,
            certificate_sha256 TEXT NULL,
            devices            TEXT NOT NULL,
            care_teams         TEXT NOT NULL,
            created_at         INTEGER NOT NULL,
            revoked_at         INTEGER NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_hl7_senders_certificate ON hl7_senders(certificate_sha256)
            WHERE certificate_sha256 IS NOT NULL AND revoked_at IS NULL;

        PRAGMA user_version = 9;
        """;
}
