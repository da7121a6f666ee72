using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>Each feature's migrations run once, in order, recorded per feature; a newer database is refused.</summary>
public sealed class SchemaMigratorTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("openward-migrations-");

    [Fact]
    public async Task AFreshDatabase_RecordsEveryMigrationOfEveryFeature()
    {
        await StoreSchemas.Database(Options()).PrepareAsync(TestContext.Current.CancellationToken);

        var recorded = await ScalarAsync("SELECT group_concat(feature || ':' || number, ',') FROM (SELECT * FROM schema_migrations ORDER BY feature, number);");

        Assert.Equal(string.Join(',', StoreSchemas.Every.SelectMany(f => f.Migrations.Select(m => $"{f.Feature}:{m.Number}")).Order(StringComparer.Ordinal)), recorded);
        Assert.Equal("9", await ScalarAsync("PRAGMA user_version;"));
    }

    [Fact]
    public async Task AFeaturesNewMigration_RunsOnceOnUpgrade_AndIsRecorded()
    {
        await StoreSchemas.Database(Options()).PrepareAsync(TestContext.Current.CancellationToken);
        var notes = StoreSchemas.Every.Single(f => f.Feature == "notes");
        var withSecond = notes with
        {
            Migrations = [.. notes.Migrations, SchemaMigration.Sql(2, "notes may be marked as corrections", "ALTER TABLE clinical_notes ADD COLUMN corrects TEXT NULL;")],
        };
        FeatureSchema[] upgraded = [.. StoreSchemas.Every.Where(f => f.Feature != "notes"), withSecond];

        await new SqliteClinicalDatabase(Options(), upgraded, TimeProvider.System).PrepareAsync(TestContext.Current.CancellationToken);
        // A second start finds nothing left to do (the ALTER would fail if it ran again).
        await new SqliteClinicalDatabase(Options(), upgraded, TimeProvider.System).PrepareAsync(TestContext.Current.CancellationToken);

        Assert.Equal("1", await ScalarAsync("SELECT count(*) FROM pragma_table_info('clinical_notes') WHERE name = 'corrects';"));
        Assert.Equal("2", await ScalarAsync("SELECT max(number) FROM schema_migrations WHERE feature = 'notes';"));
    }

    [Fact]
    public async Task ADatabaseThatRecordsAMigrationThisVersionDoesNotKnow_IsRefused_NamingIt()
    {
        await StoreSchemas.Database(Options()).PrepareAsync(TestContext.Current.CancellationToken);
        await ScalarAsync("INSERT INTO schema_migrations (feature, number, applied_at) VALUES ('alerts', 7, 0);");

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => StoreSchemas.Database(Options()).PrepareAsync(TestContext.Current.CancellationToken));

        Assert.Contains("newer OpenWard (alerts migration 7)", refusal.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }

    private IOptions<OpenWardOptions> Options() => Microsoft.Extensions.Options.Options.Create(new OpenWardOptions { DataDirectory = directory.FullName });

    private async Task<string> ScalarAsync(string statement)
    {
        await using var raw = new SqliteConnection($"Data Source={Path.Combine(directory.FullName, SqliteClinicalDatabase.FileName)};Pooling=False");
        await raw.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = raw.CreateCommand();
        command.CommandText = statement;
        return Convert.ToString(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
