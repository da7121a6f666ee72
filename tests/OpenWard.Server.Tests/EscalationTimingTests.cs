using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Core.Alerting;
using OpenWard.Server.Alerts;
using OpenWard.Server.Hosting;
using OpenWard.Server.Protection;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>Escalation timing against the store, with a clock the test moves: no sleeps.</summary>
public sealed class EscalationTimingTests : IAsyncLifetime
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("openward-escalation-");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private AlertStore store = null!;

    public async ValueTask InitializeAsync()
    {
        var options = Options.Create(new OpenWardOptions { DataDirectory = directory.FullName });
        var database = StoreSchemas.Database(options);
        await database.PrepareAsync(TestContext.Current.CancellationToken);
        var protector = new FieldProtector(database, options, Options.Create(new EncryptionOptions()), clock);
        await protector.PrepareAsync(TestContext.Current.CancellationToken);
        store = AlertStores.Create(database, protector, options, clock);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task UnacknowledgedAlert_EscalatesToEachTierWhenDue_AndStopsOnceAcknowledged()
    {
        var cancel = TestContext.Current.CancellationToken;
        var alert = (await store.ApplyAsync("pat-1", new RuleFinding("threshold:spo2:low", AlertSeverity.Critical, "SpO2 80 %", clock.GetUtcNow()), cancel))!.Alert;
        Assert.Equal(("ward nurse", clock.GetUtcNow().AddMinutes(5)), (alert.EscalatedTo, alert.NextEscalationAt));

        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Empty(await store.DueForEscalationAsync(clock.GetUtcNow(), cancel));

        clock.Advance(TimeSpan.FromSeconds(1));
        var due = Assert.Single(await store.DueForEscalationAsync(clock.GetUtcNow(), cancel));
        var charge = (await store.EscalateAsync(due, cancel))!;
        Assert.Equal(("charge nurse", 1, alert.RaisedAt.AddMinutes(15)), (charge.EscalatedTo, charge.EscalationTier, charge.NextEscalationAt));
        Assert.Null(await store.EscalateAsync(due, cancel)); // the same step is never taken twice

        clock.Advance(TimeSpan.FromMinutes(10));
        var physician = (await store.EscalateAsync(Assert.Single(await store.DueForEscalationAsync(clock.GetUtcNow(), cancel)), cancel))!;
        Assert.Equal(("on-call physician", 2), (physician.EscalatedTo, physician.EscalationTier));
        Assert.Null(physician.NextEscalationAt); // the last tier

        var acknowledged = await store.AcknowledgeAsync(alert.Id, "nurse-7", "on my way", cancel);
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(AlertStates.Acknowledged, acknowledged.Value!.State);
        Assert.Empty(await store.DueForEscalationAsync(clock.GetUtcNow(), cancel));
        Assert.Equal(["raised", "escalated", "escalated", "acknowledged"], acknowledged.Value.Events!.Select(e => e.Kind));
    }

    [Fact]
    public async Task AcknowledgedBeforeTheFirstTier_NeverEscalates()
    {
        var cancel = TestContext.Current.CancellationToken;
        var alert = (await store.ApplyAsync("pat-2", new RuleFinding("news2", AlertSeverity.Urgent, "NEWS2 5", clock.GetUtcNow()), cancel))!.Alert;

        clock.Advance(TimeSpan.FromMinutes(4));
        await store.AcknowledgeAsync(alert.Id, "nurse-3", null, cancel);
        clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Empty(await store.DueForEscalationAsync(clock.GetUtcNow(), cancel));
        Assert.Equal(0, (await store.FindAsync(alert.Id, withEvents: false, cancel))!.EscalationTier);
    }
}
