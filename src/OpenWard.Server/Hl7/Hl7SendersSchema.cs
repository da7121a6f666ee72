using OpenWard.Server.Storage;

namespace OpenWard.Server.Hl7;

/// <summary>
/// The HL7 v2 senders (interface engines, gateways) allowed on the MLLP listeners: the devices and
/// care teams they may submit for, as JSON arrays of ids.
/// </summary>
public static class Hl7SendersSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("hl7-senders",
    [
        SchemaMigration.Sql(1, "HL7 senders as at schema 9", """
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
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "HL7 senders", """
                CREATE TABLE hl7_senders (
                    name               TEXT PRIMARY KEY,
                    certificate_sha256 TEXT NULL,
                    devices            TEXT NOT NULL,
                    care_teams         TEXT NOT NULL,
                    created_at         BIGINT NOT NULL,
                    revoked_at         BIGINT NULL
                );
                CREATE UNIQUE INDEX ux_hl7_senders_certificate ON hl7_senders(certificate_sha256)
                    WHERE certificate_sha256 IS NOT NULL AND revoked_at IS NULL;
                """),
        ],
    };
}
