using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Core.Alerting;
using OpenWard.Server.Alerts;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// The alert delivery queue is kept the same on SQLite and on PostgreSQL: a change is queued for every
/// target with its alert, the due deliveries are claimed soonest first, one at a time, and each attempt is recorded
/// (delivered, retried later, or failed for good).
/// </summary>
public sealed class DeliveryQueueStoreTests
{
    private const string WebhookUrl = "https://receiver.hospital.test/alerts";
    private const string Ward = "ward-7@hospital.test";
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnAlertsChanges_AreQueuedForEveryTarget_AndListedForTheAlertOldestFirst(string engine)
    {
        await using var queue = await QueuedDeliveries.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var alerting = new AlertingOptions { Webhooks = [new WebhookTarget { Url = WebhookUrl, Secret = "secret" }] };
        alerting.Email.Host = "smtp.hospital.test";
        alerting.Email.To = [Ward];
        var alerts = queue.Ward.AlertStore(alerting);

        var raised = (await alerts.ApplyAsync("pat-1", Finding(), ct))!.Alert;
        queue.Clock.Advance(TimeSpan.FromMinutes(1));
        await alerts.AcknowledgeAsync(raised.Id, "user:nurse-1", null, ct);
        await alerts.ApplyAsync("pat-2", Finding(), ct);

        Assert.Equal(
            [
                new AlertDelivery("webhook", WebhookUrl, "raised", "pending", 0, null, Start, Start, null),
                new AlertDelivery("email", Ward, "raised", "pending", 0, null, Start, Start, null),
                new AlertDelivery("webhook", WebhookUrl, "acknowledged", "pending", 0, null, Start.AddMinutes(1), Start.AddMinutes(1), null),
                new AlertDelivery("email", Ward, "acknowledged", "pending", 0, null, Start.AddMinutes(1), Start.AddMinutes(1), null),
            ],
            await queue.Deliveries.ForAlertAsync(raised.Id, ct));
        Assert.Empty(await queue.Deliveries.ForAlertAsync("alt-none", ct));

        // The notice names the patient's alert and its summary: it is sealed at rest.
        var payload = (string)(await StoredValues.ScalarAsync(queue.Ward.Database, "SELECT payload FROM alert_deliveries WHERE alert_id = @id AND channel = 'webhook' AND created_at = @at;",
            ("@id", raised.Id), ("@at", Start.ToUnixTimeMilliseconds())))!;
        Assert.StartsWith("enc1:", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("pat-1", payload, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Claims_TakeThePendingDeliveriesWhoseAttemptIsDue_SoonestFirst_OneAtATime(string engine)
    {
        await using var queue = await QueuedDeliveries.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var alert = (await queue.Ward.Alerts.ApplyAsync("pat-1", Finding(), ct))!.Alert;
        var notice = new AlertNotice("raised", alert);

        await queue.EnqueueAsync(notice, [("webhook", "https://first.hospital.test/")]);
        queue.Clock.Advance(TimeSpan.FromSeconds(1));
        await queue.EnqueueAsync(notice, [("email", "second@hospital.test"), ("email", "later@hospital.test")]);
        await queue.EnqueueAsync(notice, []);
        // Queued for a moment still to come: not due yet.
        await StoredValues.ExecuteAsync(queue.Ward.Database, "UPDATE alert_deliveries SET next_attempt_at = next_attempt_at + 60000 WHERE target = 'later@hospital.test';");

        var first = (await queue.ClaimAsync())!;
        var second = (await queue.ClaimAsync())!;
        Assert.Null(await queue.ClaimAsync());

        Assert.Equal(("webhook", "https://first.hospital.test/", 1, Start.AddSeconds(1) + DeliveryQueue.Lease),
            (first.Channel, first.Target, first.Attempt, first.ClaimedUntil));
        Assert.Equal(notice, JsonSerializer.Deserialize<AlertNotice>(first.Payload, AlertJson.Options));
        Assert.Equal(("second@hospital.test", 1), (second.Target, second.Attempt));
        // A claimed delivery counts its attempt and waits for its outcome until the claim ends.
        Assert.Equal(
            new AlertDelivery("webhook", "https://first.hospital.test/", "raised", "pending", 1, null, Start, first.ClaimedUntil, null),
            (await queue.Deliveries.ForAlertAsync(alert.Id, ct))[0]);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Attempts_AreRecorded_DeliveredRetriedLaterOrFailedForGood(string engine)
    {
        await using var queue = await QueuedDeliveries.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var alert = (await queue.Ward.Alerts.ApplyAsync("pat-1", Finding(), ct))!.Alert;
        await queue.EnqueueAsync(new AlertNotice("raised", alert), [("webhook", WebhookUrl), ("email", Ward)]);
        var (webhook, email) = ((await queue.ClaimAsync())!, (await queue.ClaimAsync())!);

        queue.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await queue.Deliveries.RecordAsync(webhook, null, null, ct));
        Assert.True(await queue.Deliveries.RecordAsync(email, "the mail server answered 451", TimeSpan.FromSeconds(30), ct));

        Assert.Null(await queue.ClaimAsync());
        queue.Clock.Advance(TimeSpan.FromSeconds(30));
        var retry = (await queue.ClaimAsync())!;
        Assert.Equal((email.Id, 2), (retry.Id, retry.Attempt));
        await queue.Deliveries.RecordAsync(retry, "the mail server answered 451", TimeSpan.FromSeconds(60), ct);
        queue.Clock.Advance(TimeSpan.FromSeconds(60));
        await queue.Deliveries.RecordAsync((await queue.ClaimAsync())!, "the mailbox does not exist", null, ct);
        Assert.Null(await queue.ClaimAsync());

        Assert.Equal(
            [
                new AlertDelivery("webhook", WebhookUrl, "raised", "delivered", 1, null, Start, null, Start.AddSeconds(1)),
                new AlertDelivery("email", Ward, "raised", "failed", 3, "the mailbox does not exist", Start, null, null),
            ],
            await queue.Deliveries.ForAlertAsync(alert.Id, ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ARetry_WaitsUntilItsTime_WithTheErrorKept(string engine)
    {
        await using var queue = await QueuedDeliveries.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var alert = (await queue.Ward.Alerts.ApplyAsync("pat-1", Finding(), ct))!.Alert;
        await queue.EnqueueAsync(new AlertNotice("raised", alert), [("webhook", WebhookUrl)]);

        await queue.Deliveries.RecordAsync((await queue.ClaimAsync())!, "the receiver answered 503", TimeSpan.FromSeconds(4), ct);

        Assert.Equal(
            new AlertDelivery("webhook", WebhookUrl, "raised", "pending", 1, "the receiver answered 503", Start, Start.AddSeconds(4), null),
            Assert.Single(await queue.Deliveries.ForAlertAsync(alert.Id, ct)));
        Assert.Null(await queue.ClaimAsync());
    }

    private static RuleFinding Finding() => new("threshold:heart-rate:high", AlertSeverity.Urgent, "Heart rate 134 /min", Start);

    // The delivery queue on the alerts' tables of a fresh store of one engine.
    private sealed class QueuedDeliveries(StoredAlerts ward) : IAsyncDisposable
    {
        public StoredAlerts Ward => ward;

        public FakeTimeProvider Clock => ward.Clock;

        public DeliveryQueue Deliveries { get; } = new(ward.Database, ward.Protector, ward.Clock);

        public static async Task<QueuedDeliveries> CreateAsync(string engine) => new(await StoredAlerts.CreateAsync(engine, Start));

        public Task EnqueueAsync(AlertNotice notice, IReadOnlyList<(string Channel, string Target)> targets) =>
            ward.Database.WriteAsync(connection => Deliveries.EnqueueAsync(connection, notice, targets, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        public Task<DeliveryQueue.Due?> ClaimAsync() => Deliveries.ClaimNextAsync(TestContext.Current.CancellationToken);

        public ValueTask DisposeAsync() => ward.DisposeAsync();
    }
}
