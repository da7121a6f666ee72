using OpenWard.Server.Alerts;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Every node sharing the store works through the same delivery queue: an attempt is claimed by one node only, a claim
/// whose node stopped mid-send lapses and the delivery is taken again, and an outcome recorded late never undoes a
/// newer claim.
/// </summary>
public sealed class DeliveryClaimTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TwoNodesClaimingAtOnce_NeverTakeTheSameDelivery(string engine)
    {
        await using var nodes = await AlertNodes.CreateAsync(engine, Start);
        var (_, targets) = await nodes.QueueForPagersAsync(40);
        var (first, second) = (nodes.Deliveries(nodes.First), nodes.Deliveries(nodes.Second));

        var claimed = await Task.WhenAll(Task.Run(() => ClaimAllAsync(first)), Task.Run(() => ClaimAllAsync(second)));

        var all = claimed.SelectMany(c => c).ToList();
        Assert.Equal(targets.Order(StringComparer.Ordinal), all.Select(d => d.Target).Order(StringComparer.Ordinal));
        Assert.All(all, d => Assert.Equal(1, d.Attempt));
    }

    [Fact]
    public async Task OnPostgreSql_AClaimThatWaitedForAnotherNodesClaimOfTheSameDelivery_SkipsIt()
    {
        await using var nodes = await AlertNodes.CreateAsync("postgresql", Start);
        await nodes.QueueForPagersAsync(1);
        var (first, second) = (nodes.Deliveries(nodes.First), nodes.Deliveries(nodes.Second));
        var ct = TestContext.Current.CancellationToken;

        // Both nodes choose the one due delivery and wait on its row; when it is free, one claims it, and the other,
        // finding it claimed once the first commits, takes nothing rather than the same delivery.
        await using var held = await HeldWrite.BeginAsync(nodes.First, "SELECT id FROM alert_deliveries FOR UPDATE;");
        var claims = new[] { Task.Run(() => first.ClaimNextAsync(ct), ct), Task.Run(() => second.ClaimNextAsync(ct), ct) };
        await held.UntilWaitingAsync(2);
        await held.CommitAsync();

        var claimed = await Task.WhenAll(claims);
        Assert.Single(claimed, c => c is not null);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ALapsedClaim_IsTakenAgain_AndTheFirstNodesLateFailureDoesNotUndoTheNewClaim(string engine)
    {
        await using var nodes = await AlertNodes.CreateAsync(engine, Start);
        var (alertId, _) = await nodes.QueueForPagersAsync(1);
        var (first, second) = (nodes.Deliveries(nodes.First), nodes.Deliveries(nodes.Second));
        var ct = TestContext.Current.CancellationToken;

        var firstClaim = (await first.ClaimNextAsync(ct))!;
        nodes.Clock.Advance(DeliveryQueue.Lease - TimeSpan.FromMilliseconds(1));
        Assert.Null(await second.ClaimNextAsync(ct)); // still held
        nodes.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var secondClaim = (await second.ClaimNextAsync(ct))!;

        Assert.Equal((firstClaim.Id, 1, Start + DeliveryQueue.Lease), (secondClaim.Id, firstClaim.Attempt, firstClaim.ClaimedUntil));
        Assert.Equal((2, Start + (2 * DeliveryQueue.Lease)), (secondClaim.Attempt, secondClaim.ClaimedUntil));

        // The first node comes back with a failure: the delivery stays the second node's, not put back for a retry.
        Assert.False(await first.RecordAsync(firstClaim, "the receiver answered 503", TimeSpan.FromSeconds(2), ct));
        Assert.False(await first.RecordAsync(firstClaim, "the receiver answered 503", null, ct));
        var held = Assert.Single(await first.ForAlertAsync(alertId, ct));
        Assert.Equal(("pending", 2, null, secondClaim.ClaimedUntil), (held.Status, held.Attempts, held.LastError, held.NextAttemptAt));
        Assert.Null(await first.ClaimNextAsync(ct));

        Assert.True(await second.RecordAsync(secondClaim, null, null, ct));
        Assert.False(await first.RecordAsync(firstClaim, null, null, ct)); // delivered already
        var delivered = Assert.Single(await first.ForAlertAsync(alertId, ct));
        Assert.Equal(("delivered", 2), (delivered.Status, delivered.Attempts));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ALapsedClaimThatGotThrough_IsRecordedDelivered_AndTheNewClaimsFailureChangesNothing(string engine)
    {
        await using var nodes = await AlertNodes.CreateAsync(engine, Start);
        var (alertId, _) = await nodes.QueueForPagersAsync(1);
        var (first, second) = (nodes.Deliveries(nodes.First), nodes.Deliveries(nodes.Second));
        var ct = TestContext.Current.CancellationToken;

        var firstClaim = (await first.ClaimNextAsync(ct))!;
        nodes.Clock.Advance(DeliveryQueue.Lease);
        var secondClaim = (await second.ClaimNextAsync(ct))!;
        nodes.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await first.RecordAsync(firstClaim, null, null, ct));
        Assert.False(await second.RecordAsync(secondClaim, "the receiver answered 503", TimeSpan.FromSeconds(2), ct));

        var delivery = Assert.Single(await first.ForAlertAsync(alertId, ct));
        Assert.Equal(("delivered", 2, null, Start + DeliveryQueue.Lease + TimeSpan.FromSeconds(1)),
            (delivery.Status, delivery.Attempts, delivery.NextAttemptAt, delivery.DeliveredAt));
    }

    private static async Task<List<DeliveryQueue.Due>> ClaimAllAsync(DeliveryQueue queue)
    {
        var claimed = new List<DeliveryQueue.Due>();
        while (await queue.ClaimNextAsync(TestContext.Current.CancellationToken) is { } due)
        {
            claimed.Add(due);
        }

        return claimed;
    }
}
