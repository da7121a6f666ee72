namespace OpenWard.Testing;

/// <summary>
/// The whole server, as <see cref="RunningServer"/>, with its clinical and identity stores in a PostgreSQL
/// database of its own (<see cref="PostgreSqlDatabase"/>) instead of SQLite files.
/// </summary>
public class PostgreSqlServer : RunningServer
{
    private PostgreSqlDatabase? database;

    /// <summary>The server's database.</summary>
    public PostgreSqlDatabase Database => database ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>How the server connects to its database (a subclass may put something between them).</summary>
    protected virtual string StoreConnectionString => Database.ConnectionString;

    /// <inheritdoc />
    protected override IEnumerable<string> ExtraArguments =>
    [
        "--OpenWard:Store:Provider=postgresql",
        $"--OpenWard:Store:ConnectionString={StoreConnectionString}",
    ];

    /// <inheritdoc />
    public override async ValueTask InitializeAsync()
    {
        database = await PostgreSqlDatabase.CreateAsync();
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }
}
