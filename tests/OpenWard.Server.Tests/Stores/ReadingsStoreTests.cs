using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Core.Readings;
using OpenWard.Server.DeadLetters;
using OpenWard.Server.Protection;
using OpenWard.Server.Readings;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// The readings' group commit and queries behave the same on SQLite and on PostgreSQL: each reading is
/// stored once, resends and conflicting readings are told apart (within a batch too), dead letters are
/// kept, and the latest readings, pages and summaries read back what was stored.
/// </summary>
public sealed class ReadingsStoreTests
{
    private static readonly DateTimeOffset Taken = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task EachReadingIsStoredOnce_AndResendsAreToldFromConflicts_InOneBatchAndAcrossBatches(string engine)
    {
        await using var readings = await ReadingsStore.StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;

        var first = await readings.Committer.CommitAsync([Pulse("dev-1", "pat-1", 70, 1), Pulse("dev-2", null, 80, 1)], [], ct);
        var second = await readings.Committer.CommitAsync(
        [
            Pulse("dev-1", "pat-1", 70, 1), // a resend
            Pulse("dev-1", "pat-1", 75, 1), // another value for the same device, sign and time
            Pulse("dev-2", null, 80, 1), // an unattributed resend
            Pulse("dev-1", "pat-1", 72, 2), // new
            Pulse("dev-1", "pat-1", 73, 3), // new, and then sent again in the same batch with another value
            Pulse("dev-1", "pat-1", 74, 3),
        ], [], ct);

        Assert.Equal([true, true], first.Stored);
        Assert.Equal([false, false, false, true, true, false], second.Stored);
        Assert.Equal([null, "70 /min", null, null, null, "73 /min"], second.Conflicts);
        Assert.Equal(3, await readings.Queries.CountAsync("pat-1", ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task CommitsFromManyCallersAtOnce_AreEachAnsweredWithTheirOwnOutcome_AndDeadLettersAreKept(string engine)
    {
        await using var readings = await ReadingsStore.StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var letter = new DeadLetter { ReceivedAt = Taken, Channel = "mqtt", DeviceId = "dev-9", ItemIndex = 2, Reason = "\"value\" is missing", Raw = "{\"vital\":\"spo2\"}" };

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            readings.Committer.CommitAsync([Pulse($"dev-{i}", $"pat-{i % 5}", 60 + i, i)], i == 7 ? [letter] : [], ct)));

        Assert.All(results, result => Assert.Equal([true], result.Stored));
        Assert.Equal(10, await readings.Queries.CountAsync("pat-3", ct));
        var kept = await new DeadLetterQueries(readings.Store.Database, readings.Protector).PageAsync(null, 10, null, ct);
        var stored = Assert.Single(kept.Items);
        Assert.Equal((letter.DeviceId, letter.ItemIndex, letter.Reason, letter.Raw), (stored.DeviceId, stored.ItemIndex, stored.Reason, stored.Raw));
    }

    [Fact]
    public async Task TwoGroupsInFlightHoldingTheSameReadings_StoreEachOnce_AndAreAnsweredOnlyOnceCommitted()
    {
        await using var readings = await ReadingsStore.StartAsync("postgresql", writers: 2);
        var ct = TestContext.Current.CancellationToken;
        var (a, b, c) = (Pulse("dev-1", "pat-1", 70, 1), Pulse("dev-2", "pat-1", 71, 1), Pulse("dev-3", "pat-1", 72, 1));
        // Another session's write holds c, so that the first group stops in flight there, having written a.
        await using var held = await HeldWrite.BeginAsync(readings.Store.Database, """
            INSERT INTO readings (device_id, patient_id, vital, value, unit, device_time, received_time)
            VALUES ('dev-3', 'pat-1', 'heart-rate', 72, '/min', @time, @time);
            """, ("@time", c.DeviceTime.ToUnixTimeMilliseconds()));
        var first = readings.Committer.CommitAsync([a, c, b], [], ct);
        await held.UntilWaitingAsync(1);
        // The second group, on the other writer, writes b and waits on the first's a.
        var second = readings.Committer.CommitAsync([b, a], [], ct);
        await held.UntilWaitingAsync(2);

        Assert.False(first.IsCompleted || second.IsCompleted, "a group answered before its commit");
        Assert.Equal(0, await readings.Queries.CountAsync("pat-1", ct));

        // Released, the first writes c and then waits on the second's b, which waits on the first's a:
        // PostgreSQL undoes one of the two, which is written again.
        await held.RollbackAsync();
        var (one, two) = (await first, await second);

        Assert.True(one.Stored[0] != two.Stored[1], "a stored by exactly one of the groups");
        Assert.True(one.Stored[2] != two.Stored[0], "b stored by exactly one of the groups");
        Assert.True(one.Stored[1], "c stored by the first group");
        Assert.All(one.Conflicts.Concat(two.Conflicts), Assert.Null);
        Assert.Equal(3, await readings.Queries.CountAsync("pat-1", ct));
    }

    [Fact]
    public async Task AGroupFailedByASecondDeadlock_IsNotAcknowledged_AndItsWriterKeepsItsConnection()
    {
        await using var readings = await ReadingsStore.StartAsync("postgresql");
        var ct = TestContext.Current.CancellationToken;
        var (a, b, c, d) = (Pulse("dev-1", "pat-1", 70, 1), Pulse("dev-2", "pat-1", 71, 1), Pulse("dev-3", "pat-1", 72, 1), Pulse("dev-4", "pat-1", 73, 1));
        // Another session holds c, so that the group stops there, having written b and a.
        await using var other = await HeldWrite.BeginAsync(readings.Store.Database, InsertHeartRate, Key(c));
        var group = readings.Committer.CommitAsync([b, a, c], [], ct);
        var writer = await other.WaitingSessionAsync();

        // The other session now writes a, on which the group went first: PostgreSQL undoes the group, which
        // waited first, and the other session goes on. Written again, the group waits on a.
        await other.RunAsync(InsertHeartRate, Key(a));
        Assert.Equal(writer, await other.WaitingSessionAsync());
        // The other session writes b, which the group wrote again: a second deadlock fails the group.
        var writingB = other.RunAsync(InsertHeartRate, Key(b));
        var failure = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => group);
        Assert.Equal(Npgsql.PostgresErrorCodes.DeadlockDetected, failure.SqlState);
        await writingB;
        await other.RollbackAsync();
        Assert.Equal(0, await readings.Queries.CountAsync("pat-1", ct));

        // Rolled back, the writer's connection is as good as new: its next group is written on the same session.
        await using var held = await HeldWrite.BeginAsync(readings.Store.Database, InsertHeartRate, Key(d));
        var next = readings.Committer.CommitAsync([d], [], ct);
        Assert.Equal(writer, await held.WaitingSessionAsync());
        await held.RollbackAsync();
        Assert.Equal([true], (await next).Stored);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task WithAGroupCommitWindow_ReadingsShareOneTransaction_WrittenOnceEnoughHaveJoined(string engine)
    {
        // A window of an hour: the group is written only because enough readings joined it.
        await using var readings = await ReadingsStore.StartAsync(engine, window: TimeSpan.FromHours(1));
        var ct = TestContext.Current.CancellationToken;

        var first = readings.Committer.CommitAsync([Pulse("dev-1", "pat-1", 70, 0)], [], ct);
        var second = readings.Committer.CommitAsync([Pulse("dev-2", "pat-1", 71, 0)], [], ct);
        await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        Assert.False(first.IsCompleted || second.IsCompleted, "a reading was answered before its group was written");
        var upload = readings.Committer.CommitAsync([.. Enumerable.Range(1, 40).Select(i => Pulse("dev-3", "pat-1", 60 + i, i))], [], ct);

        Assert.Equal([true], (await first).Stored);
        Assert.Equal([true], (await second).Stored);
        Assert.Equal(40, (await upload).Stored.Count(stored => stored));
        Assert.Equal([3], readings.GroupSizes);
        Assert.Equal(42, await readings.Queries.CountAsync("pat-1", ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TheLatestReadingsPagesAndSummaries_ReadBackWhatWasStored(string engine)
    {
        await using var readings = await ReadingsStore.StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var pressures = Enumerable.Range(0, 4).Select(i => Pulse("cuff-1", "pat-1", 0, i * 30) with
        {
            Vital = "blood-pressure", Value = null, Unit = "mm[Hg]",
            Components = new Dictionary<string, double> { ["systolic"] = 120 + i, ["diastolic"] = 80 - i },
        });
        await readings.Committer.CommitAsync([.. Enumerable.Range(0, 90).Select(i => Pulse("ox-1", "pat-1", 60 + (i % 30), i)), .. pressures], [], ct);

        var latest = await readings.Queries.LatestAsync("pat-1", ct);
        Assert.Equal(["blood-pressure", "heart-rate"], latest.Select(r => r.Vital));
        Assert.Equal(123, latest[0].Components!["systolic"]);
        Assert.Equal((89.0, Taken.AddMinutes(89)), (latest[1].Value!.Value, latest[1].DeviceTime));

        var page = (await readings.Queries.PageAsync("pat-1", "heart-rate", Taken.AddMinutes(10), null, 50, null, ct)).Value!;
        var rest = (await readings.Queries.PageAsync("pat-1", "heart-rate", Taken.AddMinutes(10), null, 50, page.Next, ct)).Value!;
        Assert.Equal(50, page.Items.Count);
        Assert.Equal(30, rest.Items.Count);
        Assert.Null(rest.Next);
        Assert.Equal(Enumerable.Range(10, 80).Select(i => Taken.AddMinutes(i)), page.Items.Concat(rest.Items).Select(item => item.Time));

        var hours = (await readings.Queries.BucketsAsync("pat-1", "heart-rate", false, TimeSpan.FromHours(1), null, null, ct)).Value!;
        Assert.Equal([(60L, 60.0, 89.0, 74.5), (30L, 60.0, 89.0, 74.5)], hours.Select(b => (b.Count, b.Min!.Value, b.Max!.Value, b.Mean!.Value)));
        // Two pressures an hour, each summarised per component.
        var pressureHours = (await readings.Queries.BucketsAsync("pat-1", "blood-pressure", true, TimeSpan.FromHours(1), null, null, ct)).Value!;
        Assert.Equal([Taken, Taken.AddHours(1)], pressureHours.Select(b => b.Start));
        Assert.All(pressureHours, hour => Assert.Equal(2, hour.Count));
        Assert.Equal(new ComponentStatistics(120, 121, 120.5), pressureHours[0].Components!["systolic"]);
        Assert.Equal(new ComponentStatistics(79, 80, 79.5), pressureHours[0].Components!["diastolic"]);
        Assert.Equal(new ComponentStatistics(122, 123, 122.5), pressureHours[1].Components!["systolic"]);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TheFhirSearch_PagesSeveralSignsByKeysetEitherWay_FindsAReadingByItsKey_AndGivesTheLatest(string engine)
    {
        await using var readings = await ReadingsStore.StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        // Heart rates every minute and respiratory rates every other minute, two devices at the same minute at 10.
        await readings.Committer.CommitAsync(
        [
            .. Enumerable.Range(0, 20).Select(i => Pulse("ox-1", "pat-1", 60 + i, i)),
            .. Enumerable.Range(0, 10).Select(i => Pulse("ox-1", "pat-1", 14, i * 2) with { Vital = "respiratory-rate" }),
            Pulse("ox-2", "pat-1", 99, 10),
        ], [], ct);
        var search = new ReadingSearch(readings.Store.Database);
        string[] vitals = ["heart-rate", "respiratory-rate"];

        foreach (var newestFirst in new[] { false, true })
        {
            var seen = new List<StoredReading>();
            ReadingKeyset? after = null;
            while (await search.PageAsync("pat-1", vitals, null, null, after, 7, newestFirst, ct) is { Count: > 0 } page)
            {
                seen.AddRange(page);
                after = ReadingKeyset.Of(page[^1]);
            }

            Assert.Equal(31, seen.Select(r => r.Id).Distinct().Count());
            var order = seen.Select(r => (r.Reading.DeviceTime, r.Id)).ToList();
            Assert.Equal(newestFirst ? order.OrderDescending() : order.Order(), order);
        }

        var window = await search.PageAsync("pat-1", ["respiratory-rate"], Taken.AddMinutes(4), Taken.AddMinutes(8), null, 100, false, ct);
        Assert.Equal([4, 6], window.Select(r => (int)(r.Reading.DeviceTime - Taken).TotalMinutes));
        var one = window[0];
        Assert.Equal(one.Reading, (await search.FindAsync(one.Id, one.Reading.DeviceTime, ct))!.Reading);
        Assert.Null(await search.FindAsync(one.Id, one.Reading.DeviceTime.AddMilliseconds(1), ct));
        var latest = await search.LatestAsync("pat-1", vitals, 2, ct);
        Assert.Equal([19, 18, 18, 16], latest.Select(r => (int)(r.Reading.DeviceTime - Taken).TotalMinutes));
    }

    private const string InsertHeartRate = """
        INSERT INTO readings (device_id, patient_id, vital, value, unit, device_time, received_time)
        VALUES (@device, 'pat-1', 'heart-rate', 60, '/min', @time, @time);
        """;

    // The parameters of InsertHeartRate that give a reading's key (pat-1's heart rate from its device at its time).
    private static (string, object?)[] Key(Reading reading) =>
        [("@device", reading.DeviceId), ("@time", reading.DeviceTime.ToUnixTimeMilliseconds())];

    private static Reading Pulse(string device, string? patient, double value, int minute) => new()
    {
        DeviceId = device,
        PatientId = patient,
        Vital = "heart-rate",
        Value = value,
        Unit = "/min",
        DeviceTime = Taken.AddMinutes(minute),
        ReceivedTime = Taken.AddMinutes(minute),
    };

    /// <summary>A store with its group commit running, on one engine.</summary>
    private sealed class ReadingsStore : IAsyncDisposable
    {
        private readonly ConcurrentQueue<int> groupSizes;

        private ReadingsStore(StoreEngine store, FieldProtector protector, ReadingCommitter committer, ConcurrentQueue<int> groupSizes)
        {
            Store = store;
            Protector = protector;
            Committer = committer;
            Queries = new ReadingQueries(store.Database);
            this.groupSizes = groupSizes;
        }

        public StoreEngine Store { get; }

        public FieldProtector Protector { get; }

        public ReadingCommitter Committer { get; }

        public ReadingQueries Queries { get; }

        /// <summary>How many requests each committed group held, in the order they committed.</summary>
        public IReadOnlyList<int> GroupSizes => [.. groupSizes];

        public static async Task<ReadingsStore> StartAsync(string engine, int writers = 1, TimeSpan window = default)
        {
            var ct = TestContext.Current.CancellationToken;
            // Every feature's tables: the field encryption seals columns of several.
            var store = await StoreEngine.CreateAsync(engine, [.. StoreSchemas.Every]);
            var protector = await SealingKeys.StartProtectorAsync(store.Database, new FakeTimeProvider(Taken));
            var groupSizes = new ConcurrentQueue<int>();
            var committer = new ReadingCommitter(
                Enumerable.Range(0, writers).Select(_ => new GroupsNoted(WriterOn(store.Database, protector), groupSizes)),
                NullLogger<ReadingCommitter>.Instance, window);
            await committer.StartAsync(ct);
            return new ReadingsStore(store, protector, committer, groupSizes);
        }

        private static ReadingBatchWriter WriterOn(ClinicalDatabase database, FieldProtector protector) => database switch
        {
            PostgreSqlClinicalDatabase postgreSql => new PostgreSqlReadingWriter(postgreSql, protector),
            SqliteClinicalDatabase sqlite => new SqliteReadingWriter(sqlite, protector),
            _ => throw new InvalidOperationException("an engine this test does not know"),
        };

        public async ValueTask DisposeAsync()
        {
            await Committer.StopAsync(CancellationToken.None);
            Committer.Dispose();
            await Store.DisposeAsync();
        }
    }

    /// <summary>The engine's own writer, noting how many requests each group it commits holds.</summary>
    private sealed class GroupsNoted(ReadingBatchWriter writer, ConcurrentQueue<int> groupSizes) : ReadingBatchWriter
    {
        public override async Task<CommitResult[]> WriteAsync(Func<IReadOnlyList<CommitRequest>> takeBatch, CancellationToken cancellationToken)
        {
            var taken = 0;
            var results = await writer.WriteAsync(() =>
            {
                var batch = takeBatch();
                taken = batch.Count;
                return batch;
            }, cancellationToken);
            groupSizes.Enqueue(taken);
            return results;
        }

        public override ValueTask DisposeAsync() => writer.DisposeAsync();
    }
}
