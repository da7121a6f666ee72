using System.Data.Common;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// A write left open on a PostgreSQL store by a session of its own, so that nodes' writes on the same rows wait on
/// it together and meet when it ends: what a node does when another's write on those rows went just before it.
/// </summary>
public sealed class HeldWrite : IAsyncDisposable
{
    private readonly PostgreSqlClinicalDatabase database;
    private readonly DbConnection connection;
    private readonly DbTransaction transaction;

    private HeldWrite(PostgreSqlClinicalDatabase database, DbConnection connection, DbTransaction transaction)
    {
        this.database = database;
        this.connection = connection;
        this.transaction = transaction;
    }

    /// <summary>Begins a transaction, runs <paramref name="sql"/> in it, and leaves it open.</summary>
    public static async Task<HeldWrite> BeginAsync(ClinicalDatabase database, string sql, params (string Name, object? Value)[] parameters)
    {
        var ct = TestContext.Current.CancellationToken;
        var postgreSql = (PostgreSqlClinicalDatabase)database;
        var connection = await postgreSql.Writable.OpenConnectionAsync(ct);
        var transaction = await connection.BeginTransactionAsync(ct);
        var held = new HeldWrite(postgreSql, connection, transaction);
        await held.RunAsync(sql, parameters);
        return held;
    }

    /// <summary>Runs <paramref name="sql"/> in the held write too, waiting for other sessions' locks if it must.</summary>
    public async Task RunAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Waits until <paramref name="sessions"/> other sessions on the database are waiting for a lock.</summary>
    public Task UntilWaitingAsync(int sessions) =>
        Eventually.TrueAsync(async () =>
        {
            // On a connection of its own: a session sees the activity of others as at the start of its transaction.
            await using var reader = await database.OpenAsync(TestContext.Current.CancellationToken);
            await using var query = reader.CreateCommand();
            query.CommandText = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock';";
            return (long)(await query.ExecuteScalarAsync(TestContext.Current.CancellationToken))! >= sessions;
        }, $"{sessions} sessions waiting for the held write's locks");

    /// <summary>The server process of the one other session waiting for a lock, once there is one: which connection it is.</summary>
    public async Task<int> WaitingSessionAsync()
    {
        await UntilWaitingAsync(1);
        await using var reader = await database.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = reader.CreateCommand();
        query.CommandText = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock';";
        return (int)(await query.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Commits the held write.</summary>
    public Task CommitAsync() => transaction.CommitAsync(TestContext.Current.CancellationToken);

    /// <summary>Rolls the held write back.</summary>
    public Task RollbackAsync() => transaction.RollbackAsync(TestContext.Current.CancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
