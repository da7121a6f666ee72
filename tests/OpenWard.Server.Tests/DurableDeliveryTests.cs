using System.Text.Json;
using Microsoft.Data.Sqlite;
using OpenWard.Core.Alerting;
using OpenWard.Server.Alerts;
using OpenWard.Server.Protection;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// A stored alert change always has its webhook and e-mail deliveries: they are committed with it, in one
/// transaction, so a server killed at any moment leaves both or neither.
/// </summary>
public sealed class DurableDeliveryTests : IAsyncLifetime
{
    private const string WebhookUrl = "https://receiver.hospital.test/alerts";
    private const string Ward = "ward-7@hospital.test";

    private GroupCommitStore store = null!;
    private AlertStore alerts = null!;

    public async ValueTask InitializeAsync()
    {
        store = await GroupCommitStore.StartAsync(TestContext.Current.CancellationToken);
        var alerting = new AlertingOptions { Webhooks = [new WebhookTarget { Url = WebhookUrl, Secret = "secret" }] };
        alerting.Email.Host = "smtp.hospital.test";
        alerting.Email.To = [Ward];
        alerts = AlertStores.Create(store.Database, store.Protector, store.Options, TimeProvider.System, alerting);
    }

    public ValueTask DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task StoredAlertChanges_HaveTheirDeliveries_AsSoonAsTheStoreReturns()
    {
        var ct = TestContext.Current.CancellationToken;

        // Nothing else runs here (no notifier, no dispatcher): whatever is queued, the store's own write queued.
        var raised = (await alerts.ApplyAsync("pat-durable", Finding(), ct))!.Alert;
        var acknowledged = (await alerts.AcknowledgeAsync(raised.Id, "user:nurse", "on my way", ct)).Value!;

        var deliveries = await DeliveriesAsync(ct);
        Assert.Equal(
            [("webhook", WebhookUrl, "raised"), ("email", Ward, "raised"), ("webhook", WebhookUrl, "acknowledged"), ("email", Ward, "acknowledged")],
            deliveries.Select(d => (d.Channel, d.Target, d.Notice.Change)));
        Assert.All(deliveries, d => Assert.Equal("pending", d.Status));
        Assert.Equal(raised, deliveries[0].Notice.Alert);
        Assert.Equal(acknowledged with { Events = null }, deliveries[2].Notice.Alert);
    }

    [Fact]
    public async Task AnAlertWhoseDeliveriesCannotBeQueued_IsNotStoredEither()
    {
        var ct = TestContext.Current.CancellationToken;
        await store.Database.WriteAsync(async connection =>
        {
            await using var failing = connection.CreateCommand();
            failing.CommandText = "CREATE TRIGGER deliveries_fail BEFORE INSERT ON alert_deliveries BEGIN SELECT RAISE(ABORT, 'the disk is full'); END;";
            await failing.ExecuteNonQueryAsync(ct);
        }, ct);

        await Assert.ThrowsAsync<SqliteException>(() => alerts.ApplyAsync("pat-durable", Finding(), ct));

        Assert.Equal([0L], await store.ColumnAsync("SELECT count(*) FROM alerts;", ct));
        Assert.Equal([0L], await store.ColumnAsync("SELECT count(*) FROM alert_events;", ct));
    }

    private static RuleFinding Finding() =>
        new("emergency:emergency-call", AlertSeverity.Critical, "Emergency call: respond now", DateTimeOffset.UtcNow);

    // Every queued delivery, oldest first, with its sealed notice opened.
    private async Task<List<(string Channel, string Target, string Status, AlertNotice Notice)>> DeliveriesAsync(CancellationToken ct)
    {
        await using var connection = await store.Database.OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT channel, target, status, payload FROM alert_deliveries ORDER BY id;";
        await using var reader = await query.ExecuteReaderAsync(ct);
        var deliveries = new List<(string, string, string, AlertNotice)>();
        while (await reader.ReadAsync(ct))
        {
            var payload = store.Protector.Unprotect(reader.GetString(3), FieldProtector.AlertDeliveryPayload)!;
            deliveries.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), JsonSerializer.Deserialize<AlertNotice>(payload, AlertJson.Options)!));
        }

        return deliveries;
    }
}
