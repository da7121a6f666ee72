using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Hosting;
using OpenWard.Server.Readings;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Readings past the retention period are deleted on both engines, and only those; on PostgreSQL the
/// days' partitions are ready ahead of time, a reading with no day partition is still kept, and an
/// old day goes as a whole partition.
/// </summary>
public sealed class ReadingRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ReadingsPastTheRetentionPeriod_AreDeleted_AndNoOthers(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, ReadingsSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(Now);
        var retention = Options.Create(new ReadingRetentionOptions { Readings = TimeSpan.FromDays(30) });
        PeriodicCheck keeper = store.Database is PostgreSqlClinicalDatabase postgreSql
            ? new ReadingPartitions(postgreSql, retention, clock, NullLogger<ReadingPartitions>.Instance)
            : new SqliteReadingRetention(store.Database, retention, clock, NullLogger<SqliteReadingRetention>.Instance);
        await keeper.CheckAsync(ct); // the days' partitions, before anything is written

        // Today, 29 days ago, 31 days ago (in readings_other on PostgreSQL: no partition), and a year ago.
        int[] daysAgo = [0, 29, 31, 365];
        foreach (var days in daysAgo)
        {
            await InsertAsync(store.Database, Now.AddDays(-days));
        }

        await keeper.CheckAsync(ct);

        Assert.Equal([Now.AddDays(-29).ToUnixTimeMilliseconds(), Now.ToUnixTimeMilliseconds()], await DeviceTimesAsync(store.Database));
    }

    [Fact]
    public async Task OnPostgreSql_DayPartitionsAreReadyAWeekAhead_AndAnOldDayIsDroppedWhole()
    {
        await using var store = await StoreEngine.CreateAsync("postgresql", ReadingsSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(Now);
        var partitions = new ReadingPartitions((PostgreSqlClinicalDatabase)store.Database,
            Options.Create(new ReadingRetentionOptions { Readings = TimeSpan.FromDays(2) }), clock, NullLogger<ReadingPartitions>.Instance);

        await partitions.CheckAsync(ct);
        var day = Now.Date;
        Assert.Equal(
            [.. Enumerable.Range(-1, ReadingPartitions.DaysAhead + 2).Select(d => $"readings_{day.AddDays(d):yyyyMMdd}"), "readings_other"],
            await PartitionsAsync(store.Database));

        await InsertAsync(store.Database, Now.AddHours(-12)); // yesterday's partition
        clock.Advance(TimeSpan.FromDays(3));
        await partitions.CheckAsync(ct);

        var names = await PartitionsAsync(store.Database);
        Assert.DoesNotContain($"readings_{day.AddDays(-1):yyyyMMdd}", names);
        Assert.Contains($"readings_{day.AddDays(3 + ReadingPartitions.DaysAhead):yyyyMMdd}", names);
        Assert.Empty(await DeviceTimesAsync(store.Database));
    }

    // A reading as the group commit stores it.
    private static Task InsertAsync(ClinicalDatabase database, DateTimeOffset deviceTime) =>
        StoredValues.ExecuteAsync(database, """
            INSERT INTO readings (device_id, patient_id, vital, value, unit, device_time, received_time)
            VALUES ('scale-1', 'pat-1', 'body-weight', 71.5, 'kg', @time, @time);
            """, ("@time", deviceTime.ToUnixTimeMilliseconds()));

    private static Task<List<long>> DeviceTimesAsync(ClinicalDatabase database) =>
        StoredValues.ColumnAsync<long>(database, "SELECT device_time FROM readings ORDER BY device_time;");

    private static Task<List<string>> PartitionsAsync(ClinicalDatabase database) =>
        StoredValues.ColumnAsync<string>(database,
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'readings'::regclass ORDER BY c.relname;");
}
