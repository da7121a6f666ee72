using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Smart;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// A client assertion's id is accepted once, on SQLite and on PostgreSQL alike: used again by the same
/// client it is a replay; the same id from another client is not; once past its expiry it is forgotten.
/// </summary>
public sealed class UsedClientAssertionsStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnAssertionId_IsUsedOnce_PerClient_UntilItExpires(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, SmartSchema.Definition);
        var clock = new FakeTimeProvider(Start);
        var used = new UsedClientAssertions(store.Database, clock);
        var ct = TestContext.Current.CancellationToken;

        Assert.True(await used.TryUseAsync("client-a", "jti-1", Start.AddMinutes(5), ct));
        Assert.False(await used.TryUseAsync("client-a", "jti-1", Start.AddMinutes(5), ct));
        Assert.True(await used.TryUseAsync("client-b", "jti-1", Start.AddMinutes(5), ct));

        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await used.TryUseAsync("client-c", "jti-2", Start.AddMinutes(10), ct)); // forgets those past their expiry

        Assert.Equal(1L, Convert.ToInt64(await StoredValues.ScalarAsync(store.Database, "SELECT COUNT(*) FROM used_client_assertions;"), null));
    }
}
