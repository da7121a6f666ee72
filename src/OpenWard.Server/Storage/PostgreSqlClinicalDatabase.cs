using System.Data.Common;
using Npgsql;

namespace OpenWard.Server.Storage;

/// <summary>
/// The clinical store on PostgreSQL, which several OpenWard nodes can share. Writes are transactions
/// on pooled connections, which PostgreSQL itself serialises where they meet, so there is no
/// in-process write turn; read connections are opened read-only, so a write that goes around
/// <see cref="WriteAsync{T}"/> fails at once, as on SQLite.
/// </summary>
public sealed partial class PostgreSqlClinicalDatabase : ClinicalDatabase, IAsyncDisposable
{
    // The first key of OpenWard's named turns ("OW"), so that they do not meet other applications' advisory locks.
    private const int TurnSpace = 0x4F57;

    private static readonly TimeSpan LongestRetryWait = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource writable;
    private readonly NpgsqlDataSource readOnly;
    private readonly IReadOnlyList<FeatureSchema> schemas;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private int timesForgotten;

    /// <summary>A store on the database <paramref name="connectionString"/> names (an Npgsql connection string).</summary>
    public PostgreSqlClinicalDatabase(string connectionString, IEnumerable<FeatureSchema> featureSchemas, TimeProvider clock, ILogger<PostgreSqlClinicalDatabase>? logger = null)
    {
        // Bounded pools (PostgreSqlConnections): a burst of work, such as a node's patients all starting
        // to be watched at once, waits for a connection instead of exhausting the server's.
        var settings = PostgreSqlConnections.For(connectionString, "OpenWard", PostgreSqlConnections.ClinicalPoolSize);
        // Several hosts (a primary and its standby) carry their ports in the host list.
        Where = settings.Host?.Contains(',', StringComparison.Ordinal) == true
            ? $"{settings.Host}/{settings.Database}"
            : $"{settings.Host}:{settings.Port}/{settings.Database}";

        writable = NpgsqlDataSource.Create(settings.ConnectionString);
        settings.Options = "-c default_transaction_read_only=on";
        readOnly = NpgsqlDataSource.Create(settings.ConnectionString);
        schemas = [.. featureSchemas];
        this.clock = clock;
        this.logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>The server and database, for messages (never the password).</summary>
    public string Where { get; }

    /// <summary>The writable connections, for the engine's own parts (the readings' group commit with COPY).</summary>
    public NpgsqlDataSource Writable => writable;

    /// <inheritdoc />
    public override async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await writable.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await write(connection);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (Exception e) when (IsConnectionLost(e))
        {
            ForgetConnections();
            throw;
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(Func<DbConnection, Task> write, CancellationToken cancellationToken) =>
        WriteAsync<bool>(async connection =>
        {
            await write(connection);
            return true;
        }, cancellationToken);

    /// <summary>A transaction-scoped advisory lock, so every node sharing the database takes the same turn.</summary>
    public override async Task TakeTurnAsync(DbConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_advisory_xact_lock(@space, hashtext(@name));";
        command.AddParameter("@space", TurnSpace);
        command.AddParameter("@name", name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await readOnly.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (IsConnectionLost(e))
        {
            ForgetConnections();
            throw;
        }
    }

    /// <summary>
    /// Drops the pooled connections, after one was found broken (PostgreSQL restarted, the network cut):
    /// the others in the pool are broken too, and each would fail its next request before the pool noticed.
    /// </summary>
    public void ForgetConnections()
    {
        Interlocked.Increment(ref timesForgotten);
        writable.Clear();
        readOnly.Clear();
    }

    /// <summary>
    /// How many times the pools were dropped: a connection held outside the pools (the group commit's)
    /// since before the last time is likely broken too.
    /// </summary>
    public int TimesForgotten => Volatile.Read(ref timesForgotten);

    /// <summary>Whether an error says the connection to PostgreSQL was lost or could not be made (not a refusal of the statement).</summary>
    public static bool IsConnectionLost(Exception e) => e is (NpgsqlException and not PostgresException) or IOException or TimeoutException;

    /// <summary>
    /// Creates or upgrades the features' PostgreSQL tables (<see cref="PostgreSqlSchemaMigrator"/>), safe
    /// when several nodes start at once. While the server cannot be reached, says so and tries again
    /// (waiting 1, 2, 4 … 30 s) until it can or start-up is cancelled; a refusal that waiting cannot cure
    /// (a wrong password, a missing database) stops the start with PostgreSQL's reason.
    /// </summary>
    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await PostgreSqlSchemaMigrator.MigrateAsync(writable, schemas, clock, cancellationToken);
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                LogUnreachable(logger, Where, e.Message, (int)wait.TotalSeconds);
                await Task.Delay(wait, clock, cancellationToken);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetryWait.Ticks));
            }
            catch (PostgresException e)
            {
                throw new InvalidOperationException($"PostgreSQL at {Where} refused OpenWard's store: {e.MessageText} (SQLSTATE {e.SqlState}). Check OpenWard:Store:ConnectionString.", e);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await writable.DisposeAsync();
        await readOnly.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "PostgreSQL at {Where} cannot be reached ({Reason}); trying again in {Seconds} s")]
    private static partial void LogUnreachable(ILogger logger, string where, string reason, int seconds);
}
