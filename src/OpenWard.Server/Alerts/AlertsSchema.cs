using OpenWard.Server.Storage;

namespace OpenWard.Server.Alerts;

/// <summary>Alerts and their history, patients' alert settings, alert deliveries and NEWS2 scores.</summary>
public static class AlertsSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("alerts",
    [
        SchemaMigration.Sql(1, "alerts, events, settings, deliveries and NEWS2 scores as at schema 9", """
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
            -- Alert quality counts the alerts raised in a period (Alerts/AlertQuality.cs).
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
            """),
    ])
    {
        LegacyUpgrades =
        [
            // Alarm-fatigue measures (docs/alerting.md, "Alert quality").
            new(8, "a person resolving an alert says whether it was actionable, on the alert and its resolved event", async (connection, ct) =>
            {
                foreach (var table in (string[])["alerts", "alert_events"])
                {
                    if (await SqliteTables.ExistsAsync(connection, table, ct))
                    {
                        await SqliteTables.ExecuteAsync(connection, $"ALTER TABLE {table} ADD COLUMN actionable INTEGER NULL;", ct);
                    }
                }
            }),
        ],
        PostgreSql =
        [
            new(1, "alerts, events, settings, deliveries and NEWS2 scores", """
                CREATE TABLE alerts (
                    id                 TEXT PRIMARY KEY,
                    patient_id         TEXT NOT NULL,
                    condition          TEXT NOT NULL,
                    severity           BIGINT NOT NULL,
                    state              TEXT NOT NULL,
                    summary            TEXT NOT NULL,
                    raised_at          BIGINT NOT NULL,
                    updated_at         BIGINT NOT NULL,
                    acknowledged_by    TEXT NULL,
                    acknowledged_at    BIGINT NULL,
                    resolved_by        TEXT NULL,
                    resolved_at        BIGINT NULL,
                    escalation_tier    BIGINT NOT NULL DEFAULT 0,
                    next_escalation_at BIGINT NULL,
                    actionable         BIGINT NULL
                );
                CREATE UNIQUE INDEX ux_alerts_open ON alerts(patient_id, condition) WHERE state <> 'resolved';
                CREATE INDEX ix_alerts_state ON alerts(state, raised_at);
                CREATE INDEX ix_alerts_escalation ON alerts(next_escalation_at) WHERE next_escalation_at IS NOT NULL;
                CREATE INDEX ix_alerts_raised ON alerts(raised_at);

                CREATE TABLE alert_events (
                    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    alert_id   TEXT NOT NULL REFERENCES alerts(id),
                    at         BIGINT NOT NULL,
                    kind       TEXT NOT NULL,
                    actor      TEXT NOT NULL,
                    detail     TEXT NULL,
                    actionable BIGINT NULL
                );
                CREATE INDEX ix_alert_events_alert ON alert_events(alert_id, id);

                CREATE TABLE patient_alert_settings (
                    patient_id TEXT PRIMARY KEY REFERENCES patients(id),
                    settings   TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    updated_by TEXT NOT NULL
                );

                CREATE TABLE alert_deliveries (
                    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    alert_id        TEXT NOT NULL REFERENCES alerts(id),
                    channel         TEXT NOT NULL,
                    target          TEXT NOT NULL,
                    payload         TEXT NOT NULL,
                    status          TEXT NOT NULL,
                    attempts        BIGINT NOT NULL DEFAULT 0,
                    last_error      TEXT NULL,
                    created_at      BIGINT NOT NULL,
                    next_attempt_at BIGINT NULL,
                    delivered_at    BIGINT NULL
                );
                CREATE INDEX ix_alert_deliveries_due ON alert_deliveries(next_attempt_at) WHERE status = 'pending';
                CREATE INDEX ix_alert_deliveries_alert ON alert_deliveries(alert_id, id);

                CREATE TABLE news2_scores (
                    id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    patient_id TEXT NOT NULL,
                    at         BIGINT NOT NULL,
                    total      BIGINT NOT NULL,
                    response   TEXT NOT NULL,
                    parameters TEXT NOT NULL
                );
                CREATE INDEX ix_news2_patient ON news2_scores(patient_id, at);
                """),
        ],
    };
}
