using OpenWard.Server.DeadLetters;
using OpenWard.Server.Protection;
using OpenWard.Server.Readings;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Dead letters are read the same on SQLite and on PostgreSQL: whole, their raw text opened, newest first, of
/// one device or all, page by page with a cursor. The rows are written here as the group commit of readings
/// writes them, with plain SQL.
/// </summary>
public sealed class DeadLetterQueriesStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ADeadLetter_IsReadBackWhole_ItsRawTextOpened(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, DeadLettersSchema.Definition, EncryptionSchema.Definition);
        var protector = await SealingKeys.StartProtectorAsync(store.Database, TimeProvider.System, SealingKeys.Of("dead_letters"));
        var ct = TestContext.Current.CancellationToken;
        const string Raw = "MSH|^~\\&|MONITOR|WARD7|OPENWARD||20261205090000||ORU^R01|1|P|2.5\rPID|||MRN-1234";
        var sealedLetter = await InsertAsync(store.Database, "oxi-7", "mllp", 3, "PID-3 names no patient on record", protector.Protect(Raw, FieldProtector.DeadLetterPayload)!);
        var clearLetter = await InsertAsync(store.Database, "oxi-7", "mqtt", null, "not JSON", "{oops"); // as written before raw text was sealed

        var (items, next) = await new DeadLetterQueries(store.Database, protector).PageAsync(null, 10, null, ct);

        Assert.Equal(
            [
                new DeadLetter { Id = clearLetter, ReceivedAt = Start, Channel = "mqtt", DeviceId = "oxi-7", ItemIndex = null, Reason = "not JSON", Raw = "{oops" },
                new DeadLetter { Id = sealedLetter, ReceivedAt = Start, Channel = "mllp", DeviceId = "oxi-7", ItemIndex = 3, Reason = "PID-3 names no patient on record", Raw = Raw },
            ],
            items);
        Assert.Null(next);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task DeadLetters_ArePagedNewestFirst_UntilNoneAreLeft(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, DeadLettersSchema.Definition, EncryptionSchema.Definition);
        var protector = await SealingKeys.StartProtectorAsync(store.Database, TimeProvider.System, SealingKeys.Of("dead_letters"));
        var ct = TestContext.Current.CancellationToken;
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await InsertAsync(store.Database, i % 2 == 0 ? "oxi-7" : "scale-2", "http", i, "out of range", "{}"));
        }

        var queries = new DeadLetterQueries(store.Database, protector);
        var pages = new List<IReadOnlyList<long>>();
        long? before = null;
        do
        {
            var (items, next) = await queries.PageAsync(null, 2, before, ct);
            pages.Add([.. items.Select(d => d.Id)]);
            before = next is null ? null : long.Parse(next, System.Globalization.CultureInfo.InvariantCulture);
        }
        while (before is not null && pages.Count < 10);

        Assert.Equal([[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]], pages);
        // A page that ends with the last dead letter has no next page.
        Assert.Null((await queries.PageAsync(null, 5, null, ct)).Next);
        Assert.Equal(ids[3].ToString(System.Globalization.CultureInfo.InvariantCulture), (await queries.PageAsync(null, 2, null, ct)).Next);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ADevicesDeadLetters_AreItsOwn_PageByPage(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, DeadLettersSchema.Definition, EncryptionSchema.Definition);
        var protector = await SealingKeys.StartProtectorAsync(store.Database, TimeProvider.System, SealingKeys.Of("dead_letters"));
        var ct = TestContext.Current.CancellationToken;
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await InsertAsync(store.Database, i % 2 == 0 ? "oxi-7" : "scale-2", "http", null, "out of range", "{}"));
        }

        var queries = new DeadLetterQueries(store.Database, protector);
        var (firstPage, next) = await queries.PageAsync("scale-2", 2, null, ct);
        var (secondPage, end) = await queries.PageAsync("scale-2", 2, long.Parse(next!, System.Globalization.CultureInfo.InvariantCulture), ct);

        Assert.Equal([ids[5], ids[3]], firstPage.Select(d => d.Id));
        Assert.Equal([ids[1]], secondPage.Select(d => d.Id));
        Assert.Null(end);
        Assert.All(firstPage.Concat(secondPage), d => Assert.Equal("scale-2", d.DeviceId));
        Assert.Empty((await queries.PageAsync("ecg-1", 10, null, ct)).Items);
    }

    // A dead letter as the group commit of readings stores it; its id, as the store assigned it.
    private static Task<long> InsertAsync(ClinicalDatabase database, string deviceId, string channel, int? itemIndex, string reason, string raw) =>
        database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO dead_letters (received_at, channel, device_id, item_index, reason, raw)
                VALUES (@at, @channel, @device, @index, @reason, @raw) RETURNING id;
                """;
            insert.AddParameter("@at", Start.ToUnixTimeMilliseconds());
            insert.AddParameter("@channel", channel);
            insert.AddParameter("@device", deviceId);
            insert.AddParameter("@index", itemIndex is { } index ? (long)index : null);
            insert.AddParameter("@reason", reason);
            insert.AddParameter("@raw", raw);
            return Convert.ToInt64(await insert.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }, TestContext.Current.CancellationToken);
}
