using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Gateway;
using OpenWard.Server.Identity;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// The counts through which the nodes of a cluster share their limits behave the same on SQLite and on
/// PostgreSQL, and on PostgreSQL add up across two nodes' own connections: failed device sign-ins per
/// device id and address and per device id, connections and uploads per address per minute, and
/// attempts at the sign-in form per address per window.
/// </summary>
public sealed class SharedLimitsStoreTests
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    private static readonly FeatureSchema[] Tables = [DeviceLimitsSchema.Definition, SignInLimitsSchema.Definition];
    private static readonly TimeSpan PairWindow = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DeviceWindow = TimeSpan.FromHours(1);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task FailedSignIns_OnTwoNodes_AddUp_PerPairAndPerDevice_AndAQuietPairStartsAfresh(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        await using var second = engine == "postgresql" ? await store.SecondNodeAsync(Tables) : null;
        var a = new DeviceLimitsStore(store.Database);
        var b = new DeviceLimitsStore((ClinicalDatabase?)second ?? store.Database);

        var counted = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? a : b).RecordFailureAsync("oximeter-1", "192.0.2.7", Morning.AddSeconds(i), PairWindow, DeviceWindow, ct)));
        var other = await b.RecordFailureAsync("oximeter-1", "198.51.100.9", Morning.AddSeconds(10), PairWindow, DeviceWindow, ct);

        Assert.Equal([1, 2, 3, 4, 5, 6], counted.Select(c => c.Pair).Order());
        Assert.Equal((1, 7), other);
        var pairs = await a.FailuresOfAsync("oximeter-1", ct);
        Assert.Equal(6, pairs.Single(p => p.Address == "192.0.2.7").Failures);
        Assert.Equal(2, (await a.FailuresSinceAsync(Morning, ct)).Count);
        Assert.Single(await a.FailuresSinceAsync(Morning.AddSeconds(7), ct));

        // Quiet for longer than the window: the pair starts afresh; the device id counts on within its hour.
        var later = await a.RecordFailureAsync("oximeter-1", "192.0.2.7", Morning.AddMinutes(6), PairWindow, DeviceWindow, ct);
        Assert.Equal((1, 8), later);

        await b.ForgetPairAsync("oximeter-1", "192.0.2.7", ct);
        Assert.Equal("198.51.100.9", Assert.Single(await a.FailuresOfAsync("oximeter-1", ct)).Address);

        await a.ForgetStaleAsync(Morning.AddMinutes(1), Morning.AddMinutes(1), 0, ct);
        Assert.Empty(await a.FailuresOfAsync("oximeter-1", ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TakesFromAnAddress_OnTwoNodes_AddUpWithinTheMinute_AndStartAfreshInTheNext(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        await using var second = engine == "postgresql" ? await store.SecondNodeAsync(Tables) : null;
        var a = new DeviceLimitsStore(store.Database);
        var b = new DeviceLimitsStore((ClinicalDatabase?)second ?? store.Database);
        var minute = Morning.ToUnixTimeSeconds() / 60;
        var many = Enumerable.Range(0, 450).Select(i => new KeyValuePair<string, long>($"10.0.{i / 250}.{i % 250}", 1)).ToList();

        var first = await a.AddTakesAsync([new("192.0.2.7", 3), .. many], minute, ct);
        var atOnce = await Task.WhenAll(
            a.AddTakesAsync([new("192.0.2.7", 4), .. many], minute, ct),
            b.AddTakesAsync([.. many, new("192.0.2.7", 5)], minute, ct));
        var next = await b.AddTakesAsync([new("192.0.2.7", 2)], minute + 1, ct);

        Assert.Equal(new AddressCount(minute, 3), first["192.0.2.7"]);
        Assert.Equal(451, first.Count);
        Assert.Equal(12, atOnce.Max(counts => counts["192.0.2.7"].Taken));
        Assert.Equal(3, atOnce.Max(counts => counts["10.0.1.7"].Taken));
        Assert.Equal(new AddressCount(minute + 1, 2), next["192.0.2.7"]);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task SignInAttempts_OnTwoNodes_CountInOneWindow_PerPurposeAndAddress(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        await using var second = engine == "postgresql" ? await store.SecondNodeAsync(Tables) : null;
        var clock = new FakeTimeProvider(Morning);
        var a = new SignInAttemptCounts(store.Database, clock);
        var b = new SignInAttemptCounts((ClinicalDatabase?)second ?? store.Database, clock);

        var counted = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).CountAsync("sign-in-form", "192.0.2.7", ct)));
        clock.Advance(TimeSpan.FromSeconds(30));
        var token = await b.CountAsync("token-requests", "192.0.2.7", ct);
        var seventh = await a.CountAsync("sign-in-form", "192.0.2.7", ct);
        clock.Advance(TimeSpan.FromSeconds(30));
        var nextWindow = await b.CountAsync("sign-in-form", "192.0.2.7", ct);

        Assert.Equal([1L, 2, 3, 4, 5, 6], counted.Select(c => c.Attempts).Order());
        Assert.All(counted, c => Assert.Equal(Morning.AddMinutes(1), c.WindowEnds));
        Assert.Equal((1L, Morning.AddSeconds(90)), token);
        Assert.Equal((7L, Morning.AddMinutes(1)), seventh);
        Assert.Equal((1L, Morning.AddMinutes(2)), nextWindow);
    }
}
