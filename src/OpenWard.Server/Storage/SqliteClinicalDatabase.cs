using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Storage;

/// <summary>
/// The SQLite database file (<c>openward.db</c> in the data directory), in WAL mode with full
/// synchronisation so that a committed transaction survives a power cut: its connections, the turn
/// writers take, and the start-up migration of every feature's tables. The tables and their SQL
/// belong to the features (each registers a <see cref="FeatureSchema"/>).
/// </summary>
public sealed class SqliteClinicalDatabase(IOptions<OpenWardOptions> options, IEnumerable<FeatureSchema> featureSchemas, TimeProvider clock)
    : ClinicalDatabase
{
    private readonly IReadOnlyList<FeatureSchema> schemas = [.. featureSchemas];

    /// <summary>The database file name inside the data directory.</summary>
    public const string FileName = "openward.db";

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

    private readonly string writableConnectionString = ConnectionString(options, SqliteOpenMode.ReadWriteCreate);

    // Connections handed out for reading cannot write: a write outside WriteAsync fails at once instead of
    // slipping past the turn.
    private readonly string readOnlyConnectionString = ConnectionString(options, SqliteOpenMode.ReadOnly);

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
    private async ValueTask<WriteTurn> WaitToWriteAsync(CancellationToken cancellationToken)
    {
        await writeTurns.WaitAsync(cancellationToken);
        return new WriteTurn(writeTurns);
    }

    /// <summary>
    /// Writes: opens a connection, waits for this process's turn, runs <paramref name="write"/> in a
    /// transaction and commits it before the turn passes on (an exception rolls it back). Every write
    /// to the store goes through here, so none can forget the turn. Do only database work inside —
    /// no slow hashing, no waiting on other services — and never write again from inside.
    /// </summary>
    public override async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await OpenWithSettingsAsync(writableConnectionString, cancellationToken);
        using var turn = await WaitToWriteAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await write(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>As <see cref="WriteAsync{T}"/>, for a write with no result.</summary>
    public override async Task WriteAsync(Func<DbConnection, Task> write, CancellationToken cancellationToken)
    {
        await using var connection = await OpenWithSettingsAsync(writableConnectionString, cancellationToken);
        using var turn = await WaitToWriteAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await write(connection);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Writes on a writer's own connection (<see cref="OpenWriterAsync"/>), which keeps its prepared
    /// statements between writes: waits for the turn, then runs <paramref name="write"/> in a
    /// transaction and commits it. For the group commit and device status, whose statements are
    /// prepared once; <paramref name="write"/> gives those statements the transaction.
    /// </summary>
    public async Task<T> WriteOnAsync<T>(SqliteConnection writer, Func<SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        using var turn = await WaitToWriteAsync(cancellationToken);
        using var transaction = writer.BeginTransaction();
        var result = write(transaction);
        transaction.Commit();
        return result;
    }

    /// <summary>As <see cref="WriteOnAsync{T}(SqliteConnection, Func{SqliteTransaction, T}, CancellationToken)"/>, for a write that awaits.</summary>
    public async Task WriteOnAsync(SqliteConnection writer, Func<SqliteTransaction, Task> write, CancellationToken cancellationToken)
    {
        using var turn = await WaitToWriteAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken);
        await write(transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Nothing to wait for: one process writes the file, and its writes already take turns.</summary>
    public override Task TakeTurnAsync(DbConnection connection, string name, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Opens a connection to read, with OpenWard's per-connection settings applied; writes go through <see cref="WriteAsync{T}"/>.</summary>
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenWithSettingsAsync(readOnlyConnectionString, cancellationToken);

    private static string ConnectionString(IOptions<OpenWardOptions> options, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(options.Value.DataPath, FileName),
        Mode = mode,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private static async Task<SqliteConnection> OpenWithSettingsAsync(string connectionString, CancellationToken cancellationToken)
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
        var connection = await OpenWithSettingsAsync(writableConnectionString, cancellationToken);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = $"PRAGMA cache_size = -{WriterCacheKiB};";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Opens a writable connection outside the turn, with the per-connection settings only: for the
    /// checkpoint (<see cref="WalCheckpointer"/>), which writes nothing of its own and waits for no one.
    /// </summary>
    public async Task<SqliteConnection> OpenForCheckpointAsync(CancellationToken cancellationToken) =>
        await OpenWithSettingsAsync(writableConnectionString, cancellationToken);

    /// <summary>Creates or upgrades every feature's tables (<see cref="SchemaMigrator"/>) and makes the file owner-only.</summary>
    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await OpenWithSettingsAsync(writableConnectionString, cancellationToken))
        {
            await SchemaMigrator.MigrateAsync(connection, schemas, clock, cancellationToken);
        }

        DataDirectory.RestrictDatabase(Path.Combine(options.Value.DataPath, FileName));
    }
}
