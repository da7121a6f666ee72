using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>The readings table, the one index that serves both a patient's history and de-duplication, and on PostgreSQL a block-range index that finds a reading by its stored id.</summary>
public static class ReadingsSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("readings",
    [
        SchemaMigration.Sql(1, "readings as at schema 9", """
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
            -- One index serves both the patient's history and de-duplication. A reading is a duplicate
            -- when device, vital sign and device time agree, and a device's reading at a given time is
            -- attributed to one patient. Every index leaf a reading touches is written to the log at each
            -- commit: one index instead of two halves that and the checkpoints' work
            -- (docs/benchmarks.md, "One index per reading").
            CREATE UNIQUE INDEX IF NOT EXISTS ux_readings_measurement ON readings(patient_id, vital, device_time, device_id);
            -- A NULL patient never collides in a unique index: unattributed readings are kept unique by a
            -- partial index of their own, which readings with a patient never touch.
            CREATE UNIQUE INDEX IF NOT EXISTS ux_readings_unattributed ON readings(device_id, vital, device_time) WHERE patient_id IS NULL;
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "readings, partitioned by device time", """
                -- One partition per UTC day of device time, which ReadingPartitions attaches ahead of time
                -- and drops past the retention period, so that old readings go as whole tables. A reading
                -- whose day has no partition (timed before the store began, or older than the retention
                -- period) is kept in readings_other.
                CREATE SEQUENCE readings_id_seq AS BIGINT;
                CREATE TABLE readings (
                    id            BIGINT NOT NULL DEFAULT nextval('readings_id_seq'),
                    device_id     TEXT NOT NULL,
                    patient_id    TEXT NULL,
                    vital         TEXT NOT NULL,
                    value         DOUBLE PRECISION NULL,
                    components    TEXT NULL,
                    unit          TEXT NOT NULL,
                    device_time   BIGINT NOT NULL,
                    received_time BIGINT NOT NULL,
                    seq           BIGINT NULL
                ) PARTITION BY RANGE (device_time);
                ALTER SEQUENCE readings_id_seq OWNED BY readings.id;
                CREATE UNIQUE INDEX ux_readings_measurement ON readings(patient_id, vital, device_time, device_id);
                CREATE UNIQUE INDEX ux_readings_unattributed ON readings(device_id, vital, device_time) WHERE patient_id IS NULL;
                CREATE TABLE readings_other PARTITION OF readings DEFAULT;
                """),
            new(2, "a reading is found by its stored id within its day's partition", """
                -- An Observation is read by its id and device time (ObservationIds): the time picks the day's
                -- partition, and this block-range index the few pages of it that can hold the id, where the
                -- partition was read whole. Ids grow as readings are stored, so each range of 16 pages holds a
                -- narrow run of them: the index is a few pages a day and adds next to nothing to a commit, where a
                -- B-tree on id would be a second index written for every reading. Ranges filled after the index was
                -- made are summarised by autovacuum (autosummarize) as each fills; until then a read looks through
                -- the few unsummarised ranges at the partition's end as well.
                -- Made here on the partitioned table alone (ON ONLY), which reads no partition and so holds up no
                -- writer of another node during an upgrade; each partition's index is built afterwards without
                -- blocking writers (ReadingIdIndex), and partitions attached later get theirs at once.
                CREATE INDEX ix_readings_id ON ONLY readings USING brin (id) WITH (pages_per_range = 16, autosummarize = on);
                """),
        ],
        LegacyUpgrades =
        [
            new(5, "the de-duplication index and the patient index become one", (connection, ct) =>
                SqliteTables.ExecuteAsync(connection, "DROP INDEX IF EXISTS ux_readings_dedup; DROP INDEX IF EXISTS ix_readings_patient;", ct)),
            // SQLite rewrites the table once to drop the key column the one index made redundant.
            new(6, "readings no longer carry a de-duplication key column", async (connection, ct) =>
            {
                if (await SqliteTables.HasColumnAsync(connection, "readings", "dedup_key", ct))
                {
                    await SqliteTables.ExecuteAsync(connection, "ALTER TABLE readings DROP COLUMN dedup_key;", ct);
                }
            }),
        ],
    };
}
