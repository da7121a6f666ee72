using OpenWard.Server.Storage;

namespace OpenWard.Server.Cluster;

/// <summary>
/// The tables Orleans' ADO.NET providers keep the cluster's membership and reminders in, in the store's
/// PostgreSQL database (there is no SQLite form: a cluster needs a shared store). The providers read
/// their statements by name from <c>OrleansQuery</c> and bind them by parameter and column names, so
/// those names follow the providers' contract (docs/scaling.md); the statements are OpenWard's own.
/// Each statement that checks a version and changes rows does both in one statement, so a silo that
/// lost a race changes nothing and is told so (0 rows).
/// </summary>
public static class OrleansTablesSchema
{
    /// <summary>The feature's migrations (PostgreSQL only).</summary>
    public static FeatureSchema Definition { get; } = new("orleans", [])
    {
        PostgreSql =
        [
            new(1, "cluster membership and reminders for Orleans' ADO.NET providers", """
                CREATE TABLE OrleansQuery (
                    QueryKey  VARCHAR(64) PRIMARY KEY,
                    QueryText TEXT NOT NULL
                );

                -- One row per cluster: its membership version, raised by every change of membership.
                CREATE TABLE OrleansMembershipVersionTable (
                    DeploymentId VARCHAR(150) PRIMARY KEY,
                    Timestamp    TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
                    Version      INTEGER NOT NULL DEFAULT 0
                );

                -- One row per silo (node) that ever joined: its address, state and last sign of life.
                CREATE TABLE OrleansMembershipTable (
                    DeploymentId VARCHAR(150) NOT NULL REFERENCES OrleansMembershipVersionTable(DeploymentId),
                    Address      VARCHAR(45) NOT NULL,
                    Port         INTEGER NOT NULL,
                    Generation   INTEGER NOT NULL,
                    SiloName     VARCHAR(150) NOT NULL,
                    HostName     VARCHAR(150) NOT NULL,
                    Status       INTEGER NOT NULL,
                    ProxyPort    INTEGER NULL,
                    SuspectTimes VARCHAR(8000) NULL,
                    StartTime    TIMESTAMPTZ(3) NOT NULL,
                    IAmAliveTime TIMESTAMPTZ(3) NOT NULL,
                    PRIMARY KEY (DeploymentId, Address, Port, Generation)
                );

                CREATE TABLE OrleansRemindersTable (
                    ServiceId    VARCHAR(150) NOT NULL,
                    GrainId      VARCHAR(150) NOT NULL,
                    ReminderName VARCHAR(150) NOT NULL,
                    StartTime    TIMESTAMPTZ(3) NOT NULL,
                    Period       BIGINT NOT NULL,
                    GrainHash    INTEGER NOT NULL,
                    Version      INTEGER NOT NULL,
                    PRIMARY KEY (ServiceId, GrainId, ReminderName)
                );
                CREATE INDEX ix_orleans_reminders_hash ON OrleansRemindersTable(ServiceId, GrainHash);

                INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
                ('InsertMembershipVersionKey', $q$
                    WITH added AS (
                        INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
                        ON CONFLICT (DeploymentId) DO NOTHING RETURNING 1)
                    SELECT count(*)::int FROM added;
                $q$),
                ('InsertMembershipKey', $q$
                    WITH joined AS (
                        UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
                        WHERE DeploymentId = @DeploymentId AND Version = @Version
                          AND NOT EXISTS (SELECT 1 FROM OrleansMembershipTable
                                          WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation)
                        RETURNING DeploymentId),
                    added AS (
                        INSERT INTO OrleansMembershipTable
                            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
                        SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
                        FROM joined
                        RETURNING 1)
                    SELECT count(*)::int FROM added;
                $q$),
                ('UpdateMembershipKey', $q$
                    WITH bumped AS (
                        UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
                        WHERE DeploymentId = @DeploymentId AND Version = @Version
                          AND EXISTS (SELECT 1 FROM OrleansMembershipTable
                                      WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation)
                        RETURNING DeploymentId),
                    changed AS (
                        UPDATE OrleansMembershipTable m
                        SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
                        FROM bumped
                        WHERE m.DeploymentId = bumped.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
                        RETURNING 1)
                    SELECT count(*)::int FROM changed;
                $q$),
                ('UpdateIAmAlivetimeKey', $q$
                    UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
                    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
                $q$),
                ('MembershipReadRowKey', $q$
                    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
                           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
                    FROM OrleansMembershipVersionTable v
                    LEFT JOIN OrleansMembershipTable m
                        ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
                    WHERE v.DeploymentId = @DeploymentId;
                $q$),
                ('MembershipReadAllKey', $q$
                    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
                           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
                    FROM OrleansMembershipVersionTable v
                    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
                    WHERE v.DeploymentId = @DeploymentId;
                $q$),
                ('DeleteMembershipTableEntriesKey', $q$
                    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
                    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
                $q$),
                ('GatewaysQueryKey', $q$
                    SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
                    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
                $q$),
                ('CleanupDefunctSiloEntriesKey', $q$
                    DELETE FROM OrleansMembershipTable
                    WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3;
                $q$),
                ('UpsertReminderRowKey', $q$
                    INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
                    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
                    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
                    SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
                        Version = OrleansRemindersTable.Version + 1
                    RETURNING Version;
                $q$),
                ('ReadReminderRowsKey', $q$
                    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
                    WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
                $q$),
                ('ReadReminderRowKey', $q$
                    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
                    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
                $q$),
                ('ReadRangeRows1Key', $q$
                    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
                    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
                $q$),
                ('ReadRangeRows2Key', $q$
                    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
                    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
                $q$),
                ('DeleteReminderRowKey', $q$
                    WITH removed AS (
                        DELETE FROM OrleansRemindersTable
                        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
                        RETURNING 1)
                    SELECT count(*)::int FROM removed;
                $q$),
                ('DeleteReminderRowsKey', $q$
                    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
                $q$);
                """),
        ],
    };
}
