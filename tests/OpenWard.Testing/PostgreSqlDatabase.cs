using Npgsql;

namespace OpenWard.Testing;

/// <summary>
/// A database of a test's own on the local PostgreSQL server (127.0.0.1:5432, role
/// <c>openward_tests</c>, as <c>tests/start-postgresql.sh</c> sets it up), dropped when disposed.
/// Without that server the test is skipped, or fails under <see cref="MissingComponent.RequireAllVariable"/>.
/// </summary>
public sealed class PostgreSqlDatabase : IAsyncDisposable
{
    private const string Server = "Host=127.0.0.1;Port=5432;Username=openward_tests;Password=openward_tests;Timeout=5";

    private readonly string name;

    private PostgreSqlDatabase(string name)
    {
        this.name = name;
        ConnectionString = $"{Server};Database={name}";
    }

    /// <summary>The connection string of this test's database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates an empty database for the test.</summary>
    public static async Task<PostgreSqlDatabase> CreateAsync()
    {
        var database = new PostgreSqlDatabase("openward_test_" + Guid.NewGuid().ToString("N"));
        try
        {
            await OnServerAsync($"CREATE DATABASE {database.name};");
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            MissingComponent.Stop(
                $"PostgreSQL is not reachable at 127.0.0.1:5432 as openward_tests ({e.Message}); start it with tests/start-postgresql.sh (apt-get install postgresql).");
        }

        return database;
    }

    /// <summary>A data source on this test's database.</summary>
    public NpgsqlDataSource DataSource() => NpgsqlDataSource.Create(ConnectionString);

    /// <summary>The first column of the first row <paramref name="query"/> answers, as text.</summary>
    public async Task<string?> ScalarAsync(string query)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(query, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await OnServerAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
    }

    private static async Task OnServerAsync(string statement)
    {
        await using var connection = new NpgsqlConnection($"{Server};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(statement, connection);
        await command.ExecuteNonQueryAsync();
    }
}
