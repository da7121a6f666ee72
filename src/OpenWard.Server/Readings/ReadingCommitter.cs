using System.Collections.Concurrent;
using System.Diagnostics;
using OpenWard.Core.Readings;

namespace OpenWard.Server.Readings;

/// <summary>
/// Group commit: readings and dead letters from many devices wait here for a moment and are
/// written together in one durable transaction; each caller's task completes only after that
/// transaction has committed, so a device is acknowledged only for what is on disk.
/// A reading the store already holds for the same device, vital sign and device time is not stored
/// again: a duplicate when its value(s) are the same, a conflict (reported with the stored value) when not.
/// The engine's <see cref="ReadingBatchWriter"/>s write the batches: on SQLite one, on PostgreSQL as many
/// as <see cref="Storage.StoreOptions.ReadingWriters"/> says, each taking the next batch from the same
/// queue while the others commit theirs, so that one group's round trips and commit do not hold up the
/// next. Each batch is answered after its own commit; PostgreSQL's unique indexes keep a reading that two
/// batches in flight both hold to one of them.
/// A group may gather for a moment (the window, <see cref="Storage.StoreOptions.GroupCommitWindow"/>)
/// from its first request's arrival before it is written: devices sending one reading at a time then share a
/// transaction instead of each taking one, which spares the database most of its per-transaction work. No request
/// waits longer than the window for that, and a group is written as soon as it holds enough readings to be worth
/// its transaction, so under load, or with many devices waiting for their answers, none waits at all.
/// </summary>
public sealed partial class ReadingCommitter(IEnumerable<ReadingBatchWriter> writers, ILogger<ReadingCommitter> logger, TimeSpan window = default)
    : BackgroundService
{
    private const int MaxReadingsPerTransaction = 20_000;

    // A group this large is written without waiting out the window: its transaction's cost is already shared.
    private const int EnoughToWrite = 32;

    // A lock-free queue and a wake-up signal given only when the writer may be asleep: with many
    // devices committing at once, a locked channel made their threads spin on its lock.
    private readonly ConcurrentQueue<CommitRequest> queue = new();
    private readonly ReadingBatchWriter[] writers = [.. writers];
    private readonly SemaphoreSlim wakeUp = new(0);

    // Released when the queued readings reach EnoughToWrite: a gathering group is written at once.
    private readonly SemaphoreSlim enough = new(0);
    private int wakeUpPending;
    private int queuedReadings;
    private volatile bool stopping;

    /// <summary>Queues readings and dead letters and completes once they are committed.</summary>
    public Task<CommitResult> CommitAsync(IReadOnlyList<Reading> readings, IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        if (stopping)
        {
            throw new InvalidOperationException("The store is shutting down.");
        }

        var request = new CommitRequest(readings, deadLetters);
        queue.Enqueue(request);
        var queued = Interlocked.Add(ref queuedReadings, readings.Count);
        if (queued >= EnoughToWrite && queued - readings.Count < EnoughToWrite)
        {
            enough.Release();
        }

        if (Interlocked.Exchange(ref wakeUpPending, 1) == 0)
        {
            wakeUp.Release();
        }

        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(writers.Select(WriteGroupsAsync));

        // A request that slipped in as the store stopped is answered, never left waiting.
        while (queue.TryDequeue(out var late))
        {
            late.Completion.TrySetException(new InvalidOperationException("The store is shutting down."));
        }

        foreach (var writer in writers)
        {
            await writer.DisposeAsync();
        }
    }

    // One writer's loop: commit what is queued, answer it, and again; asleep while nothing is queued.
    private async Task WriteGroupsAsync(ReadingBatchWriter writer)
    {
        var batch = new List<CommitRequest>();
        // Draining continues after shutdown is requested so that queued callers get an answer.
        while (true)
        {
            if (queue.IsEmpty)
            {
                if (stopping)
                {
                    return;
                }

                await wakeUp.WaitAsync(CancellationToken.None);
                Volatile.Write(ref wakeUpPending, 0);
                continue;
            }

            if (await GatheredAsync() && await CommitNextAsync(writer, batch) is { } results)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
        }
    }

    // Waits until the oldest queued request has waited the window, or enough readings are queued to write;
    // false when another writer took the group meanwhile.
    private async Task<bool> GatheredAsync()
    {
        // Releases left from groups that did not wait are dropped: the count is looked at afresh below.
        while (enough.Wait(0))
        {
        }

        while (!stopping && Volatile.Read(ref queuedReadings) < EnoughToWrite && queue.TryPeek(out var oldest)
            && window - Stopwatch.GetElapsedTime(oldest.QueuedAt) is var left && left > TimeSpan.Zero)
        {
            await enough.WaitAsync(left);
        }

        return !queue.IsEmpty;
    }

    /// <summary>Stops taking requests; those already queued are still committed.</summary>
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        // Every writer may be asleep: each is woken to see that it may stop.
        wakeUp.Release(writers.Length);
        return base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        wakeUp.Dispose();
        enough.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Lets <paramref name="writer"/> commit what is queued (requests that arrived while it waited for its
    /// turn join this transaction). Null when the commit failed: nothing in the batch is acknowledged, and
    /// the writer goes on with the next.
    /// </summary>
    private async Task<CommitResult[]?> CommitNextAsync(ReadingBatchWriter writer, List<CommitRequest> batch)
    {
        batch.Clear();
        try
        {
            return await writer.WriteAsync(() =>
            {
                var readingCount = 0;
                while (readingCount < MaxReadingsPerTransaction && queue.TryDequeue(out var request))
                {
                    batch.Add(request);
                    readingCount += request.Readings.Count;
                    Interlocked.Add(ref queuedReadings, -request.Readings.Count);
                }

                return batch;
            }, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogCommitFailed(logger, e, batch.Count);
            foreach (var request in batch)
            {
                request.Completion.TrySetException(e);
            }

            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Commit of {Requests} ingest requests failed; the devices were not acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int requests);
}
