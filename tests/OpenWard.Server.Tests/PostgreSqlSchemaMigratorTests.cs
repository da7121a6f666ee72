using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// On a real PostgreSQL server: each feature's PostgreSQL migrations run once, in order, recorded per
/// feature, also when several nodes start at once; a database a newer OpenWard wrote is refused.
/// </summary>
public sealed class PostgreSqlSchemaMigratorTests
{
    // Plain CREATE TABLE, not IF NOT EXISTS: a migration that ran twice would fail.
    private static readonly FeatureSchema Wards = new("wards", []) { PostgreSql = [new(1, "wards", "CREATE TABLE wards (id TEXT PRIMARY KEY, name TEXT NOT NULL);")] };

    private static readonly FeatureSchema Beds = new("beds", [])
    {
        PostgreSql =
        [
            new(1, "beds", "CREATE TABLE beds (id TEXT PRIMARY KEY, ward_id TEXT NOT NULL REFERENCES wards(id));"),
            new(2, "beds have a label", "ALTER TABLE beds ADD COLUMN label TEXT NULL;"),
        ],
    };

    [Fact]
    public async Task NodesStartingAtOnce_ApplyEveryMigrationOnce_AndRecordIt()
    {
        await using var database = await PostgreSqlDatabase.CreateAsync();
        await using var dataSource = database.DataSource();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => PostgreSqlSchemaMigrator.MigrateAsync(dataSource, [Wards, Beds], TimeProvider.System, TestContext.Current.CancellationToken))));

        Assert.Equal("beds:1,beds:2,wards:1",
            await database.ScalarAsync("SELECT string_agg(feature || ':' || number, ',' ORDER BY feature, number) FROM schema_migrations;"));
        Assert.Equal("1", await database.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'beds' AND column_name = 'label';"));
    }

    [Fact]
    public async Task AFeaturesNewMigration_RunsOnceOnUpgrade()
    {
        await using var database = await PostgreSqlDatabase.CreateAsync();
        await using var dataSource = database.DataSource();
        var bedsAsFirstShipped = Beds with { PostgreSql = [Beds.PostgreSql[0]] };
        await PostgreSqlSchemaMigrator.MigrateAsync(dataSource, [Wards, bedsAsFirstShipped], TimeProvider.System, TestContext.Current.CancellationToken);

        await PostgreSqlSchemaMigrator.MigrateAsync(dataSource, [Wards, Beds], TimeProvider.System, TestContext.Current.CancellationToken);
        // A second start finds nothing left to do (the ALTER would fail if it ran again).
        await PostgreSqlSchemaMigrator.MigrateAsync(dataSource, [Wards, Beds], TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.Equal("2", await database.ScalarAsync("SELECT max(number) FROM schema_migrations WHERE feature = 'beds';"));
        Assert.Equal("1", await database.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'beds' AND column_name = 'label';"));
    }

    [Fact]
    public async Task ADatabaseThatRecordsAMigrationThisVersionDoesNotKnow_IsRefused_NamingIt_AndChangesNothing()
    {
        await using var database = await PostgreSqlDatabase.CreateAsync();
        await using var dataSource = database.DataSource();
        await PostgreSqlSchemaMigrator.MigrateAsync(dataSource, [Wards], TimeProvider.System, TestContext.Current.CancellationToken);
        await database.ScalarAsync("INSERT INTO schema_migrations (feature, number, applied_at) VALUES ('wards', 7, 0);");

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PostgreSqlSchemaMigrator.MigrateAsync(dataSource, [Wards, Beds], TimeProvider.System, TestContext.Current.CancellationToken));

        Assert.Contains("newer OpenWard (wards migration 7)", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("0", await database.ScalarAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'beds';"));
    }
}
