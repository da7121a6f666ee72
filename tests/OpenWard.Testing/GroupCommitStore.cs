using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Protection;
using OpenWard.Server.Readings;
using OpenWard.Server.Storage;

namespace OpenWard.Testing;

/// <summary>A clinical store in a fresh data directory with its group commit running, as the server starts them.</summary>
public sealed class GroupCommitStore : IAsyncDisposable
{
    private readonly DirectoryInfo directory;

    private GroupCommitStore(DirectoryInfo directory, IOptions<OpenWardOptions> options, SqliteClinicalDatabase database, FieldProtector protector, ReadingCommitter committer)
    {
        this.directory = directory;
        Options = options;
        Database = database;
        Protector = protector;
        Committer = committer;
    }

    /// <summary>The settings the store was made with.</summary>
    public IOptions<OpenWardOptions> Options { get; }

    /// <summary>The database file.</summary>
    public SqliteClinicalDatabase Database { get; }

    /// <summary>The field encryption of the store.</summary>
    public FieldProtector Protector { get; }

    /// <summary>The group commit, started.</summary>
    public ReadingCommitter Committer { get; }

    /// <summary>Prepares the store and starts its group commit.</summary>
    public static async Task<GroupCommitStore> StartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("openward-store-");
        var options = Microsoft.Extensions.Options.Options.Create(new OpenWardOptions { DataDirectory = directory.FullName });
        var database = StoreSchemas.Database(options);
        await database.PrepareAsync(cancellationToken);
        var protector = new FieldProtector(database, options, Microsoft.Extensions.Options.Options.Create(new EncryptionOptions()), TimeProvider.System);
        await protector.PrepareAsync(cancellationToken);
        var committer = new ReadingCommitter([new SqliteReadingWriter(database, protector)], NullLogger<ReadingCommitter>.Instance);
        await committer.StartAsync(cancellationToken);
        return new GroupCommitStore(directory, options, database, protector, committer);
    }

    /// <summary>Runs a query on the database and returns its first column, one value per row.</summary>
    public async Task<List<object?>> ColumnAsync(string query, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        var values = new List<object?>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
        }

        return values;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Committer.StopAsync(CancellationToken.None);
        Committer.Dispose();
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }
}
