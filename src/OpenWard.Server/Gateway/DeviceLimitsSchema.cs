using OpenWard.Server.Storage;

namespace OpenWard.Server.Gateway;

/// <summary>
/// The device guard's tables, through which the nodes of a cluster share one allowance
/// (<see cref="DeviceLimitsStore"/>): failed sign-ins per device id and address and per device id, and
/// the connections and uploads taken from each address. One node keeps all of this in memory
/// (<see cref="DeviceGuard"/>) and leaves the tables empty; they are on both engines so that a store
/// has the same tables whichever way its nodes run.
/// </summary>
public static class DeviceLimitsSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("device-limits",
    [
        SchemaMigration.Sql(1, "device sign-in failures and requests per address, shared by the nodes of a cluster", """
            CREATE TABLE device_sign_in_failures (
                device_id       TEXT NOT NULL,
                address         TEXT NOT NULL,
                failures        INTEGER NOT NULL,
                last_failure_at INTEGER NOT NULL,
                PRIMARY KEY (device_id, address)
            );
            CREATE INDEX device_sign_in_failures_by_time ON device_sign_in_failures (last_failure_at);
            CREATE TABLE device_id_failures (
                device_id       TEXT PRIMARY KEY,
                failures        INTEGER NOT NULL,
                last_failure_at INTEGER NOT NULL
            );
            CREATE TABLE address_requests (
                address TEXT PRIMARY KEY,
                minute  INTEGER NOT NULL,
                taken   INTEGER NOT NULL
            );
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "device sign-in failures and requests per address, shared by the nodes of a cluster", """
                CREATE TABLE device_sign_in_failures (
                    device_id       TEXT NOT NULL,
                    address         TEXT NOT NULL,
                    failures        BIGINT NOT NULL,
                    last_failure_at BIGINT NOT NULL,
                    PRIMARY KEY (device_id, address)
                );
                CREATE INDEX device_sign_in_failures_by_time ON device_sign_in_failures (last_failure_at);
                CREATE TABLE device_id_failures (
                    device_id       TEXT PRIMARY KEY,
                    failures        BIGINT NOT NULL,
                    last_failure_at BIGINT NOT NULL
                );
                CREATE TABLE address_requests (
                    address TEXT PRIMARY KEY,
                    minute  BIGINT NOT NULL,
                    taken   BIGINT NOT NULL
                );
                """),
        ],
    };
}
