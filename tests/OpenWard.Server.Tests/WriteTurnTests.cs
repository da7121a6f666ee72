using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenWard.Core.Alerting;
using OpenWard.Core.Readings;
using OpenWard.Server.Alerts;
using OpenWard.Server.Hosting;
using OpenWard.Server.Monitoring;
using OpenWard.Server.Security;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests;

/// <summary>The server's writers take turns at the database: the group commit and an alert never starve each other.</summary>
public sealed class WriteTurnTests : IAsyncLifetime
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("openward-turns-");
    private ClinicalDatabase database = null!;
    private ReadingCommitter committer = null!;
    private AlertStore alerts = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = Options.Create(new OpenWardOptions { DataDirectory = directory.FullName });
        database = new ClinicalDatabase(options);
        await database.PrepareAsync(ct);
        var protector = new FieldProtector(database, options, TimeProvider.System);
        await protector.PrepareAsync(ct);
        alerts = new AlertStore(database, protector, options, TimeProvider.System);
        committer = new ReadingCommitter(database, protector, new PatientFeed(), NullLogger<ReadingCommitter>.Instance);
        await committer.StartAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await committer.StopAsync(CancellationToken.None);
        committer.Dispose();
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }

    [Fact]
    public async Task ReadingsWaitWhileAnotherWriterHasItsTurn_AndAreStoredWhenItEnds()
    {
        var ct = TestContext.Current.CancellationToken;
        var turn = await database.WaitToWriteAsync(ct);

        var commit = committer.CommitAsync([HeartRate(1)], [], ct);
        var first = await Task.WhenAny(commit, Task.Delay(TimeSpan.FromMilliseconds(300), ct));
        Assert.NotSame(commit, first); // not written while the other writer holds the turn

        turn.Dispose();
        Assert.Equal(1, (await commit).StoredCount);
    }

    [Fact]
    public async Task AReadingSentTwice_IsStoredOnce_WithItsKeyOfVitalAndDeviceTime()
    {
        var ct = TestContext.Current.CancellationToken;

        var first = await committer.CommitAsync([HeartRate(7)], [], ct);
        var again = await committer.CommitAsync([HeartRate(7)], [], ct);

        Assert.Equal((1, 0), (first.StoredCount, again.StoredCount));
        await using var connection = await database.OpenAsync(ct);
        await using var key = connection.CreateCommand();
        key.CommandText = "SELECT dedup_key FROM readings;";
        Assert.Equal(Reading.DeduplicationKeyFor("heart-rate", HeartRate(7).DeviceTime), await key.ExecuteScalarAsync(ct));
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
                var result = await committer.CommitAsync([HeartRate(stream * 10_000 + i)], [], CancellationToken.None);
                Interlocked.Add(ref stored, result.StoredCount);
                streaming.TrySetResult();
            }
        }, CancellationToken.None)).ToList();
        await streaming.Task.WaitAsync(ct);

        var alert = await alerts.ApplyAsync("pat-turns", new RuleFinding("emergency:emergency-call", AlertSeverity.Critical, "Emergency call: respond now", DateTimeOffset.UtcNow), ct);
        await raised.CancelAsync();
        await Task.WhenAll(streams);

        Assert.Equal(AlertStates.Raised, alert!.State);
        Assert.True(stored > 0);
        await using var connection = await database.OpenAsync(ct);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM readings;";
        Assert.Equal(stored, Convert.ToInt32(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture));
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
