using Npgsql;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>
/// Builds the block-range index on <c>readings.id</c> (readings migration 2) partition by partition on
/// PostgreSQL, without holding up ingest. The migration creates it on the partitioned table alone
/// (<c>ON ONLY</c>: no partition is read, so the start-up migration blocks no writer); this then builds
/// each partition's index that is missing with <c>CREATE INDEX CONCURRENTLY</c>, which lets writers go on,
/// and attaches it; once every partition's is attached, PostgreSQL marks the whole index valid. Partitions
/// attached later (<see cref="ReadingPartitions"/>) get theirs as they are attached. It runs at start, in
/// the background, and every <see cref="Period"/>; on a store that has the index whole a round is one
/// catalogue query. Every node runs it: the builder holds an advisory lock, and a node that finds it
/// taken leaves the work to the one that holds it. A build cut short (a node stopped mid-way) leaves an
/// invalid index, which the next round drops and builds again.
/// </summary>
public sealed partial class ReadingIdIndex(PostgreSqlClinicalDatabase database, TimeProvider clock, ILogger<ReadingIdIndex> logger)
    : PeriodicCheck(Period, clock, logger)
{
    /// <summary>How often missing partition indexes are looked for.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);

    // Any fixed number, the same in every OpenWard node, other than the migrations' and the partitions' locks.
    private const long BuildLock = 0x4F57526561644964;

    private readonly ILogger<ReadingIdIndex> logger = logger;

    /// <inheritdoc />
    protected override bool FirstRoundAtStart => true;

    /// <inheritdoc />
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.Writable.OpenConnectionAsync(cancellationToken);
        if ((await MissingAsync(connection, cancellationToken)).Count == 0
            || !(bool)(await ScalarAsync(connection, $"SELECT pg_try_advisory_lock({BuildLock});", cancellationToken))!)
        {
            return;
        }

        try
        {
            // Looked for again under the lock: another node may have built them meanwhile.
            foreach (var partition in await MissingAsync(connection, cancellationToken))
            {
                await BuildAsync(connection, partition, cancellationToken);
            }
        }
        finally
        {
            // Session locks outlive the statement; a connection that broke mid-build took its lock with it.
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await ScalarAsync(connection, $"SELECT pg_advisory_unlock({BuildLock});", CancellationToken.None);
            }
        }
    }

    private async Task BuildAsync(NpgsqlConnection connection, string partition, CancellationToken cancellationToken)
    {
        var index = partition + "_id_idx";
        try
        {
            var valid = await ScalarAsync(connection, "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(@index);", cancellationToken, index);
            if (valid is false)
            {
                // Left by a build cut short.
                await ScalarAsync(connection, $"DROP INDEX CONCURRENTLY IF EXISTS \"{index}\";", cancellationToken);
            }

            if (valid is not true)
            {
                await ScalarAsync(connection, $"CREATE INDEX CONCURRENTLY IF NOT EXISTS \"{index}\" ON \"{partition}\" USING brin (id) WITH (pages_per_range = 16, autosummarize = on);", cancellationToken);
            }

            // A moment's catalogue change, which waits at most this long behind another's long transaction so
            // that writers never queue behind it.
            await using var attach = await connection.BeginTransactionAsync(cancellationToken);
            await ScalarAsync(connection, $"SET LOCAL lock_timeout = '{(int)ReadingPartitions.LockWait.TotalMilliseconds}ms';", cancellationToken);
            await ScalarAsync(connection, $"ALTER INDEX ix_readings_id ATTACH PARTITION \"{index}\";", cancellationToken);
            await attach.CommitAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.UndefinedTable)
        {
            // Busy: tried again next round. Gone: the partition was dropped past the retention period meanwhile.
            LogPartitionLeft(logger, e.SqlState);
        }
    }

    // The partitions of readings without an index attached to ix_readings_id.
    private static async Task<List<string>> MissingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT c.relname FROM pg_inherits p JOIN pg_class c ON c.oid = p.inhrelid
            WHERE p.inhparent = 'readings'::regclass
              AND NOT EXISTS (SELECT FROM pg_inherits a JOIN pg_index x ON x.indexrelid = a.inhrelid
                              WHERE a.inhparent = 'ix_readings_id'::regclass AND x.indrelid = c.oid)
            ORDER BY c.relname;
            """;
        var partitions = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            partitions.Add(reader.GetString(0));
        }

        return partitions;
    }

    // One statement on its own (CREATE INDEX CONCURRENTLY may not share a transaction), with at most one parameter, @index.
    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, string? index = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (index is not null)
        {
            command.AddParameter("@index", index);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A readings partition's id index was left for the next round (SQLSTATE {SqlState})")]
    private static partial void LogPartitionLeft(ILogger logger, string sqlState);
}
