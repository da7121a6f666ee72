using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Core.Readings;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>Committed readings reach the database file itself by the checkpointer's copy, not only by the group commit's own.</summary>
public sealed class WalCheckpointerTests : IAsyncLifetime
{
    private const int Readings = 200;
    private GroupCommitStore store = null!;

    public async ValueTask InitializeAsync() => store = await GroupCommitStore.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task ACheckpoint_CopiesEveryCommittedPage_SoTheDatabaseFileAloneHoldsTheReadings()
    {
        var ct = TestContext.Current.CancellationToken;
        await CommitReadingsAsync(ct);
        // Far below the log's limit: the group commit has left them in the write-ahead log.
        Assert.Equal(0, await ReadingsInTheDatabaseFileAloneAsync(ct));

        var checkpoint = await new WalCheckpointer(store.Database, TimeProvider.System, NullLogger<WalCheckpointer>.Instance)
            .CopyCommittedPagesAsync(ct);

        Assert.False(checkpoint.Busy);
        Assert.True(checkpoint.LogPages > 0);
        Assert.Equal(checkpoint.LogPages, checkpoint.CopiedPages);
        Assert.Equal(Readings, await ReadingsInTheDatabaseFileAloneAsync(ct));
    }

    [Fact]
    public async Task EverySecond_TheCheckpointerCopiesWhatWasCommitted_WithoutBeingAsked()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var rounds = new RoundsLogged();
        using var checkpointer = new WalCheckpointer(store.Database, clock, rounds);
        await checkpointer.StartAsync(ct);
        await CommitReadingsAsync(ct);

        // The checkpointer's loop may not have set its first timer on the clock yet: the clock moves on a
        // period at a time until a round is logged, so an advance made before the timer is not lost.
        var round = rounds.NextAsync(ct).AsTask();
        for (var advances = 0; advances < 100 && !round.IsCompleted; advances++)
        {
            clock.Advance(WalCheckpointer.Period);
            await Task.WhenAny(round, Task.Delay(TimeSpan.FromMilliseconds(100), ct));
        }

        await round.WaitAsync(Eventually.Limit, ct);
        var copied = await ReadingsInTheDatabaseFileAloneAsync(ct);

        await checkpointer.StopAsync(ct);
        Assert.Equal(Readings, copied);
    }

    private async Task CommitReadingsAsync(CancellationToken ct)
    {
        var taken = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var readings = Enumerable.Range(0, Readings).Select(i => new Reading
        {
            DeviceId = $"oximeter-{i % 10}",
            PatientId = $"patient-{i % 10}",
            Vital = "spo2",
            Value = 90 + (i % 9),
            Unit = "%",
            DeviceTime = taken.AddSeconds(i),
            ReceivedTime = taken.AddSeconds(i),
        }).ToList();
        var result = await store.Committer.CommitAsync(readings, [], ct);
        Assert.DoesNotContain(false, result.Stored);
    }

    // Every round of the checkpointer ends with one message, the checkpoint's or the round's failure:
    // the test awaits it rather than guessing how long a round takes.
    private sealed class RoundsLogged : ILogger<WalCheckpointer>
    {
        private readonly Channel<string> rounds = Channel.CreateUnbounded<string>();

        public ValueTask<string> NextAsync(CancellationToken cancellationToken) => rounds.Reader.ReadAsync(cancellationToken);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            rounds.Writer.TryWrite(formatter(state, exception));
    }

    // A copy of the database file without its write-ahead log: what a checkpoint has put there.
    private async Task<long> ReadingsInTheDatabaseFileAloneAsync(CancellationToken ct)
    {
        var copy = Path.Combine(store.Options.Value.DataPath, "copy-without-log.db");
        File.Copy(Path.Combine(store.Options.Value.DataPath, SqliteClinicalDatabase.FileName), copy, overwrite: true);
        try
        {
            await using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'readings');";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return 0;
            }

            command.CommandText = "SELECT count(*) FROM readings;";
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            File.Delete(copy);
            foreach (var leftover in Directory.GetFiles(store.Options.Value.DataPath, "copy-without-log.db-*"))
            {
                File.Delete(leftover);
            }
        }
    }
}
