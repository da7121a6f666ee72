using System.Data.Common;
using Npgsql;

namespace OpenWard.Server.Storage;

/// <summary>
/// The clinical store on PostgreSQL (the first piece of it: the features whose tables and SQL run on
/// PostgreSQL so far carry <see cref="FeatureSchema.PostgreSql"/> migrations). Writes are transactions
/// on pooled connections, which PostgreSQL itself serialises where they meet, so there is no
/// in-process write turn; read connections are opened read-only, so a write that goes around
/// <see cref="WriteAsync{T}"/> fails at once, as on SQLite.
/// </summary>
public sealed class PostgreSqlClinicalDatabase : ClinicalDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource writable;
    private readonly NpgsqlDataSource readOnly;
    private readonly IReadOnlyList<FeatureSchema> schemas;
    private readonly TimeProvider clock;

    /// <summary>A store on the database <paramref name="connectionString"/> names (an Npgsql connection string).</summary>
    public PostgreSqlClinicalDatabase(string connectionString, IEnumerable<FeatureSchema> featureSchemas, TimeProvider clock)
    {
        writable = NpgsqlDataSource.Create(connectionString);
        readOnly = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c default_transaction_read_only=on" }.ConnectionString);
        schemas = [.. featureSchemas];
        this.clock = clock;
    }

    /// <inheritdoc />
    public override async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await writable.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await write(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public override async Task WriteAsync(Func<DbConnection, Task> write, CancellationToken cancellationToken)
    {
        await using var connection = await writable.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await write(connection);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await readOnly.OpenConnectionAsync(cancellationToken);

    /// <summary>Creates or upgrades the features' PostgreSQL tables (<see cref="PostgreSqlSchemaMigrator"/>), safe when several nodes start at once.</summary>
    public override Task PrepareAsync(CancellationToken cancellationToken) =>
        PostgreSqlSchemaMigrator.MigrateAsync(writable, schemas, clock, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await writable.DisposeAsync();
        await readOnly.DisposeAsync();
    }
}
