using Microsoft.Data.Sqlite;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Devices;

/// <summary>The device fleet's tables: devices (secret hash, pinned certificate, last status) and their assignments to patients.</summary>
public static class DevicesSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("devices",
    [
        SchemaMigration.Sql(1, "devices and assignments as at schema 9", """
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
            """),
    ])
    {
        LegacyUpgrades =
        [
            new(3, "devices may have a pinned client certificate", (connection, ct) =>
                AlterDevicesAsync(connection, "ALTER TABLE devices ADD COLUMN certificate_sha256 TEXT NULL;", ct)),
            new(4, "devices record their firmware version", (connection, ct) =>
                AlterDevicesAsync(connection, "ALTER TABLE devices ADD COLUMN firmware TEXT NULL;", ct)),
            new(7, "devices keep the battery charge they last reported and whether they were connected", (connection, ct) =>
                AlterDevicesAsync(connection, """
                    ALTER TABLE devices ADD COLUMN battery_percent REAL NULL;
                    ALTER TABLE devices ADD COLUMN connected INTEGER NOT NULL DEFAULT 0;
                    """, ct)),
        ],
    };

    private static async Task AlterDevicesAsync(SqliteConnection connection, string statements, CancellationToken cancellationToken)
    {
        if (await SqliteTables.ExistsAsync(connection, "devices", cancellationToken))
        {
            await SqliteTables.ExecuteAsync(connection, statements, cancellationToken);
        }
    }
}
