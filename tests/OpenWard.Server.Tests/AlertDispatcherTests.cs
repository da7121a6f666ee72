using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenWard.Server.Alerts;
using OpenWard.Server.Tests.Stores;

namespace OpenWard.Server.Tests;

/// <summary>
/// The dispatcher on a real store of each engine, sending to a pager gateway of the test's own (a channel, as an SMS
/// or pager gateway would plug in): every node runs one and each notice is sent once; a send that hangs is cut off and
/// retried later; a send cut short by the server stopping is handed straight back.
/// </summary>
public sealed class AlertDispatcherTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TwoNodesDispatchingAtOnce_SendEachNoticeOnce(string engine)
    {
        await using var nodes = await AlertNodes.CreateAsync(engine, Start);
        var (alertId, targets) = await nodes.QueueForPagersAsync(30);
        var pager = new PagerGateway(answers: true);
        var ct = TestContext.Current.CancellationToken;

        await Task.WhenAll(
            Task.Run(() => Dispatcher(nodes, nodes.First, pager).CheckAsync(ct), ct),
            Task.Run(() => Dispatcher(nodes, nodes.Second, pager).CheckAsync(ct), ct));

        Assert.Equal(targets.Order(StringComparer.Ordinal), pager.Sent.Order(StringComparer.Ordinal));
        Assert.All(await nodes.Deliveries(nodes.First).ForAlertAsync(alertId, ct),
            d => Assert.Equal(("delivered", 1), (d.Status, d.Attempts)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ASendThatHangs_IsCutOffAfterTheSendTimeout_AndRetriedLater(string engine)
    {
        await using var nodes = await AlertNodes.CreateAsync(engine, Start);
        var (alertId, _) = await nodes.QueueForPagersAsync(1);
        var pager = new PagerGateway(answers: false);
        var ct = TestContext.Current.CancellationToken;

        var round = Dispatcher(nodes, nodes.First, pager).CheckAsync(ct);
        await pager.Called.Task.WaitAsync(WaitLimit, ct);
        nodes.Clock.Advance(AlertDispatcher.SendTimeout);
        await round.WaitAsync(WaitLimit, ct);

        Assert.Equal(
            new AlertDelivery("pager", "pager-1", "raised", "pending", 1, "timed out", Start, Start + AlertDispatcher.SendTimeout + new AlertingOptions().RetryBackoff, null),
            Assert.Single(await nodes.Deliveries(nodes.First).ForAlertAsync(alertId, ct)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ASendCutShortByTheServerStopping_IsDueAgainAtOnce_ForAnyNode(string engine)
    {
        await using var nodes = await AlertNodes.CreateAsync(engine, Start);
        var (alertId, _) = await nodes.QueueForPagersAsync(1);
        var pager = new PagerGateway(answers: false);
        var ct = TestContext.Current.CancellationToken;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var round = Dispatcher(nodes, nodes.First, pager).CheckAsync(stopping.Token);
        await pager.Called.Task.WaitAsync(WaitLimit, ct);
        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => round.WaitAsync(WaitLimit, ct));

        Assert.Equal(
            new AlertDelivery("pager", "pager-1", "raised", "pending", 1, "cut short by the server stopping", Start, Start, null),
            Assert.Single(await nodes.Deliveries(nodes.First).ForAlertAsync(alertId, ct)));
        Assert.Equal(2, (await nodes.Deliveries(nodes.Second).ClaimNextAsync(ct))!.Attempt);
    }

    private static AlertDispatcher Dispatcher(AlertNodes nodes, Storage.ClinicalDatabase node, PagerGateway pager) =>
        new(nodes.Deliveries(node), [pager], Options.Create(new AlertingOptions()), nodes.Clock, NullLogger<AlertDispatcher>.Instance);

    // A pager gateway that takes every notice at once, or one that never answers until the send is cancelled.
    private sealed class PagerGateway(bool answers) : IAlertChannel
    {
        public string Name => "pager";

        public IReadOnlyList<string> Targets => [];

        public ConcurrentQueue<string> Sent { get; } = new();

        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<string?> SendAsync(string target, string payload, CancellationToken cancellationToken)
        {
            Sent.Enqueue(target);
            Called.TrySetResult();
            if (!answers)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            await Task.Yield(); // let the other node's dispatcher run between sends
            return null;
        }
    }
}
