using Microsoft.Extensions.Logging.Abstractions;
using OpenWard.Server.Readings;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Readings migration 2's index on id, on PostgreSQL: the migration makes it on the partitioned table alone, and
/// each partition's is then built without blocking writers — once, whichever of two nodes starting together gets
/// there first, and again where a build was cut short — until the whole index is valid.
/// </summary>
public sealed class ReadingIdIndexTests
{
    private const long Day = 86_400_000;
    private const long December1 = 1_764_547_200_000;

    [Fact]
    public async Task AStoreUpgradedByTwoNodesAtOnce_GetsEachPartitionsIndexOnce_AndABuildCutShortIsBuiltAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        // A store from before migration 2: a day's partition and readings_other, both holding readings.
        var beforeTheIndex = ReadingsSchema.Definition with { PostgreSql = [.. ReadingsSchema.Definition.PostgreSql.Where(m => m.Number == 1)] };
        await using var store = await StoreEngine.CreateAsync("postgresql", beforeTheIndex);
        var database = (PostgreSqlClinicalDatabase)store.Database;
        await ExecuteAsync(database, $"""
            CREATE TABLE readings_20251201 PARTITION OF readings FOR VALUES FROM ({December1}) TO ({December1 + Day});
            INSERT INTO readings (device_id, patient_id, vital, value, unit, device_time, received_time)
            SELECT 'dev-1', 'pat-1', 'heart-rate', 60, '/min', {December1} + i * 1000, {December1} + i * 1000 FROM generate_series(0, 999) AS s(i);
            INSERT INTO readings (device_id, patient_id, vital, value, unit, device_time, received_time)
            SELECT 'dev-1', 'pat-1', 'heart-rate', 60, '/min', {December1 - Day} + i * 1000, {December1 - Day} + i * 1000 FROM generate_series(0, 9) AS s(i);
            """);

        // Two nodes of the new version start: one migrates, the other finds it done.
        await using var nodeA = await store.SecondNodeAsync(ReadingsSchema.Definition);
        await using var nodeB = await store.SecondNodeAsync(ReadingsSchema.Definition);
        Assert.False(await IndexIsValidAsync(database));
        // A build of readings_other's index was cut short (this one fails on its duplicates), leaving an invalid index under its name.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => ExecuteAsync(database, "CREATE UNIQUE INDEX CONCURRENTLY readings_other_id_idx ON readings_other (unit);"));

        await Task.WhenAll(Builder(nodeA).CheckAsync(ct), Builder(nodeB).CheckAsync(ct));

        Assert.True(await IndexIsValidAsync(database));
        Assert.Equal(["readings_20251201_id_idx brin", "readings_other_id_idx brin"], await PartitionIndexesAsync(database));
        // A day attached afterwards gets its index as it is attached.
        await ExecuteAsync(database, $"CREATE TABLE readings_20251202 PARTITION OF readings FOR VALUES FROM ({December1 + Day}) TO ({December1 + (2 * Day)});");
        Assert.True(await IndexIsValidAsync(database));
        Assert.Equal(3, (await PartitionIndexesAsync(database)).Count);
    }

    private static ReadingIdIndex Builder(PostgreSqlClinicalDatabase node) =>
        new(node, TimeProvider.System, NullLogger<ReadingIdIndex>.Instance);

    private static async Task<bool> IndexIsValidAsync(PostgreSqlClinicalDatabase database) =>
        (bool)(await ScalarAsync(database, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_readings_id'::regclass;"))!;

    // Each partition's index attached to ix_readings_id, with its access method.
    private static async Task<List<string>> PartitionIndexesAsync(PostgreSqlClinicalDatabase database)
    {
        await using var connection = await database.Writable.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT c.relname || ' ' || am.amname FROM pg_inherits a JOIN pg_class c ON c.oid = a.inhrelid JOIN pg_am am ON am.oid = c.relam
            WHERE a.inhparent = 'ix_readings_id'::regclass ORDER BY 1;
            """;
        var indexes = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            indexes.Add(reader.GetString(0));
        }

        return indexes;
    }

    private static async Task ExecuteAsync(PostgreSqlClinicalDatabase database, string sql) => await ScalarAsync(database, sql);

    private static async Task<object?> ScalarAsync(PostgreSqlClinicalDatabase database, string sql)
    {
        await using var connection = await database.Writable.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
