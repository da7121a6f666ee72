using Microsoft.Data.Sqlite;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Testing;

/// <summary>
/// A fresh clinical store on one engine, its tables created, for the store conformance tests that
/// hold each store to the same behaviour on SQLite and on PostgreSQL (a real server, see
/// <see cref="PostgreSqlDatabase"/>).
/// </summary>
public sealed class StoreEngine : IAsyncDisposable
{
    private readonly DirectoryInfo directory;
    private readonly PostgreSqlDatabase? postgreSql;

    private StoreEngine(ClinicalDatabase database, DirectoryInfo directory, PostgreSqlDatabase? postgreSql)
    {
        Database = database;
        this.directory = directory;
        this.postgreSql = postgreSql;
    }

    /// <summary>The store.</summary>
    public ClinicalDatabase Database { get; }

    /// <summary>A data directory of the test's own (on SQLite, the database file's), for what a node keeps in files, such as the key-encryption key.</summary>
    public string DataDirectory => directory.FullName;

    /// <summary>A store on <paramref name="engine"/> (<c>sqlite</c> or <c>postgresql</c>) with <paramref name="schemas"/>' tables.</summary>
    public static async Task<StoreEngine> CreateAsync(string engine, params FeatureSchema[] schemas)
    {
        StoreEngine store;
        var directory = Directory.CreateTempSubdirectory("openward-store-");
        if (engine == "postgresql")
        {
            var database = await PostgreSqlDatabase.CreateAsync();
            store = new StoreEngine(new PostgreSqlClinicalDatabase(database.ConnectionString, schemas, TimeProvider.System), directory, database);
        }
        else
        {
            var options = Microsoft.Extensions.Options.Options.Create(new OpenWardOptions { DataDirectory = directory.FullName });
            store = new StoreEngine(new SqliteClinicalDatabase(options, schemas, TimeProvider.System), directory, null);
        }

        await store.Database.PrepareAsync(TestContext.Current.CancellationToken);
        return store;
    }

    /// <summary>
    /// On PostgreSQL, the same database as another node sees it: a store object of its own (its own
    /// connections), as a second OpenWard process would have. Dispose it before this store.
    /// </summary>
    public async Task<PostgreSqlClinicalDatabase> SecondNodeAsync(params FeatureSchema[] schemas)
    {
        var node = new PostgreSqlClinicalDatabase(
            postgreSql?.ConnectionString ?? throw new InvalidOperationException("Only a PostgreSQL store is shared by nodes."), schemas, TimeProvider.System);
        await node.PrepareAsync(TestContext.Current.CancellationToken);
        return node;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Database is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        if (postgreSql is not null)
        {
            await postgreSql.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }
}
