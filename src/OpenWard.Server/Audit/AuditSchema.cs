using OpenWard.Server.Storage;

namespace OpenWard.Server.Audit;

/// <summary>The audit trail, append-only and hash-chained (see <see cref="Core.Audit.AuditChain"/>).</summary>
public static class AuditSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("audit",
    [
        SchemaMigration.Sql(1, "the audit trail as at schema 9", """
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
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "the audit trail", """
                CREATE TABLE audit_log (
                    seq           BIGINT PRIMARY KEY,
                    at            BIGINT NOT NULL,
                    actor         TEXT NOT NULL,
                    action        TEXT NOT NULL,
                    patient_id    TEXT NULL,
                    source        TEXT NOT NULL,
                    outcome       TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash          TEXT NOT NULL
                );
                CREATE INDEX ix_audit_patient ON audit_log(patient_id, seq) WHERE patient_id IS NOT NULL;
                """),
        ],
    };
}
