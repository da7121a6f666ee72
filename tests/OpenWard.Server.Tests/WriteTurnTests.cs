using OpenWard.Core.Alerting;
using OpenWard.Core.Readings;
using OpenWard.Server.Alerts;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>The server's writers take turns at the database: the group commit and an alert never starve each other.</summary>
public sealed class WriteTurnTests : IAsyncLifetime
{
    private GroupCommitStore store = null!;
    private AlertStore alerts = null!;

    public async ValueTask InitializeAsync()
    {
        store = await GroupCommitStore.StartAsync(TestContext.Current.CancellationToken);
        alerts = AlertStores.Create(store.Database, store.Protector, store.Options, TimeProvider.System);
    }

    public ValueTask DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task ReadingsWaitWhileAnotherWriterHasItsTurn_AndAreStoredWhenItEnds()
    {
        var ct = TestContext.Current.CancellationToken;
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherWriter = store.Database.WriteAsync(async _ =>
        {
            holding.SetResult();
            await done.Task;
        }, ct);
        await holding.Task.WaitAsync(ct);

        var commit = store.Committer.CommitAsync([HeartRate(1)], [], ct);
        var first = await Task.WhenAny(commit, Task.Delay(TimeSpan.FromMilliseconds(300), ct));
        Assert.NotSame(commit, first); // not written while the other writer holds the turn

        done.SetResult();
        await otherWriter;
        Assert.Equal(1, (await commit).StoredCount);
    }

    [Fact]
    public async Task AnAlertRaisedWhileReadingsStreamIn_GetsItsTurn_AndNoReadingIsLost()
    {
        var ct = TestContext.Current.CancellationToken;
        using var raised = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var stored = 0;
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Back-to-back commits from four writers, as devices keep the group commit busy, until the alert is in.
        var streams = Enumerable.Range(0, 4).Select(stream => Task.Run(async () =>
        {
            for (var i = 0; i < 5_000 && !raised.IsCancellationRequested; i++)
            {
                var result = await store.Committer.CommitAsync([HeartRate(stream * 10_000 + i)], [], CancellationToken.None);
                Interlocked.Add(ref stored, result.StoredCount);
                streaming.TrySetResult();
            }
        }, CancellationToken.None)).ToList();
        await streaming.Task.WaitAsync(ct);

        var alert = (await alerts.ApplyAsync("pat-turns", new RuleFinding("emergency:emergency-call", AlertSeverity.Critical, "Emergency call: respond now", DateTimeOffset.UtcNow), ct))?.Alert;
        await raised.CancelAsync();
        await Task.WhenAll(streams);

        Assert.Equal(AlertStates.Raised, alert!.State);
        Assert.True(stored > 0);
        Assert.Equal([(long)stored], await store.ColumnAsync("SELECT count(*) FROM readings;", ct));
    }

    private static Reading HeartRate(int n)
    {
        var time = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero).AddSeconds(n);
        return new Reading
        {
            DeviceId = "dev-turns",
            PatientId = "pat-turns",
            Vital = "heart-rate",
            Value = 70,
            Unit = "/min",
            DeviceTime = time,
            ReceivedTime = time,
        };
    }
}
