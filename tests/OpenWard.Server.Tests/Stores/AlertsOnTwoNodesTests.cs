using OpenWard.Core.Alerting;
using OpenWard.Core.Alerts;
using OpenWard.Server.Alerts;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Two nodes sharing the store act on the same alert at once — both find a patient's condition, both find its
/// escalation due — and the alert comes out as if one had acted after the other: one open alert, one step up per tier,
/// one notice of each step.
/// </summary>
public sealed class AlertsOnTwoNodesTests
{
    private const string HighHeartRate = "threshold:heart-rate:high";
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly AlertingOptions WithWebhook = new() { Webhooks = [new WebhookTarget { Url = "https://receiver.hospital.test/alerts", Secret = "secret" }] };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TwoNodesRaisingTheSameConditionAtOnce_GiveOneOpenAlert_RaisedThenUpdated(string engine)
    {
        await using var nodes = await AlertNodes.CreateAsync(engine, Start);
        var (first, second) = (nodes.AlertStore(nodes.First), nodes.AlertStore(nodes.Second));
        var ct = TestContext.Current.CancellationToken;
        var patients = Enumerable.Range(1, 5).Select(i => $"pat-{i}").ToList();

        var changes = await Task.WhenAll(patients.SelectMany(patient => new[]
        {
            Task.Run(() => first.ApplyAsync(patient, Finding(), ct), ct),
            Task.Run(() => second.ApplyAsync(patient, Finding(), ct), ct),
        }));

        foreach (var patient in patients)
        {
            var open = Assert.Single(await first.OpenForPatientAsync(patient, ct));
            Assert.Equal(["raised", "updated"], changes.Where(c => c!.Alert.PatientId == patient).Select(c => c!.Change).Order(StringComparer.Ordinal));
            Assert.All(changes.Where(c => c!.Alert.PatientId == patient), c => Assert.Equal(open.Id, c!.Alert.Id));
            Assert.Equal(["raised", "updated"], (await first.FindAsync(open.Id, withEvents: true, ct))!.Events!.Select(e => e.Kind));
        }
    }

    [Fact]
    public async Task OnPostgreSql_ANodeThatLosesTheRaceToRaiseAnAlert_UpdatesTheOneTheOtherRaised()
    {
        await using var nodes = await AlertNodes.CreateAsync("postgresql", Start);
        var (first, second) = (nodes.AlertStore(nodes.First), nodes.AlertStore(nodes.Second));
        var ct = TestContext.Current.CancellationToken;

        // An open alert for the condition, not committed: both nodes find none open, both insert theirs, and both wait
        // on the unique index for the held one. Rolled back, one node's alert is stored and the other's is refused.
        await using var held = await HeldWrite.BeginAsync(nodes.First, """
            INSERT INTO alerts (id, patient_id, condition, severity, state, summary, raised_at, updated_at)
            VALUES ('alt-held', 'pat-1', @condition, 2, 'raised', 'held', 0, 0);
            """, ("@condition", HighHeartRate));
        var applied = new[] { Task.Run(() => first.ApplyAsync("pat-1", Finding(), ct), ct), Task.Run(() => second.ApplyAsync("pat-1", Finding(), ct), ct) };
        await held.UntilWaitingAsync(2);
        await held.RollbackAsync();

        var changes = await Task.WhenAll(applied);
        Assert.Equal(["raised", "updated"], changes.Select(c => c!.Change).Order(StringComparer.Ordinal));
        var open = Assert.Single(await first.OpenForPatientAsync("pat-1", ct));
        Assert.All(changes, c => Assert.Equal(open.Id, c!.Alert.Id));
        Assert.Equal(["raised", "updated"], (await first.FindAsync(open.Id, withEvents: true, ct))!.Events!.Select(e => e.Kind));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TwoNodesEscalatingAtOnce_MoveEachAlertOneTier_AndQueueItsNoticeOnce(string engine)
    {
        await using var nodes = await AlertNodes.CreateAsync(engine, Start);
        var (first, second) = (nodes.AlertStore(nodes.First, WithWebhook), nodes.AlertStore(nodes.Second, WithWebhook));
        var ct = TestContext.Current.CancellationToken;
        var ids = new List<string>();
        for (var patient = 1; patient <= 5; patient++)
        {
            ids.Add((await first.ApplyAsync($"pat-{patient}", Finding(), ct))!.Alert.Id);
        }

        nodes.Clock.Advance(TimeSpan.FromMinutes(5));
        // Each node's escalation round: the alerts it finds due, each moved unless it moved since it was read.
        async Task<List<Alert>> EscalateAsync(AlertStore node)
        {
            var moved = new List<Alert>();
            foreach (var due in await node.DueForEscalationAsync(nodes.Clock.GetUtcNow(), ct))
            {
                if (await node.EscalateAsync(due, ct) is { } escalated)
                {
                    moved.Add(escalated);
                }
            }

            return moved;
        }

        var rounds = await Task.WhenAll(Task.Run(() => EscalateAsync(first), ct), Task.Run(() => EscalateAsync(second), ct));

        Assert.Equal(ids.Order(StringComparer.Ordinal), rounds.SelectMany(r => r).Select(a => a.Id).Order(StringComparer.Ordinal));
        var deliveries = nodes.Deliveries(nodes.First);
        foreach (var id in ids)
        {
            var alert = (await first.FindAsync(id, withEvents: true, ct))!;
            Assert.Equal((1, "charge nurse"), (alert.EscalationTier, alert.EscalatedTo));
            Assert.Single(alert.Events!, e => e.Kind == "escalated");
            Assert.Single(await deliveries.ForAlertAsync(id, ct), d => d.Change == "escalated");
        }
    }

    [Fact]
    public async Task OnPostgreSql_ANodeWhoseEscalationWaitedForAnothersOfTheSameAlert_LeavesIt()
    {
        await using var nodes = await AlertNodes.CreateAsync("postgresql", Start);
        var (first, second) = (nodes.AlertStore(nodes.First, WithWebhook), nodes.AlertStore(nodes.Second, WithWebhook));
        var ct = TestContext.Current.CancellationToken;
        var raised = (await first.ApplyAsync("pat-1", Finding(), ct))!.Alert;
        nodes.Clock.Advance(TimeSpan.FromMinutes(5));

        // Both nodes read the alert due and wait on its row; the one that goes second finds it moved on.
        await using var held = await HeldWrite.BeginAsync(nodes.First, "SELECT id FROM alerts WHERE id = @id FOR UPDATE;", ("@id", raised.Id));
        var escalations = new[] { Task.Run(() => first.EscalateAsync(raised, ct), ct), Task.Run(() => second.EscalateAsync(raised, ct), ct) };
        await held.UntilWaitingAsync(2);
        await held.CommitAsync();

        var escalated = Assert.Single(await Task.WhenAll(escalations), e => e is not null);
        Assert.Equal(1, escalated!.EscalationTier);
        Assert.Single((await first.FindAsync(raised.Id, withEvents: true, ct))!.Events!, e => e.Kind == "escalated");
        Assert.Single(await nodes.Deliveries(nodes.First).ForAlertAsync(raised.Id, ct), d => d.Change == "escalated");
    }

    private static RuleFinding Finding() => new(HighHeartRate, AlertSeverity.Urgent, "Heart rate 134 /min", Start);
}
