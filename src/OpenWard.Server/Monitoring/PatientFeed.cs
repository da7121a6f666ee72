using System.Collections.Concurrent;
using OpenWard.Core.Readings;

namespace OpenWard.Server.Monitoring;

/// <summary>
/// Carries newly committed, attributed readings from the ingest pipeline to the patients' grains, so
/// that monitoring never slows the acknowledgement of a device. Every ingest call publishes here, so
/// publishing takes no lock: a lock-free queue, and a wake-up signal given only when the
/// dispatcher may be asleep (as the group commit takes its requests).
/// </summary>
public sealed class PatientFeed
{
    private readonly ConcurrentQueue<IReadOnlyList<Reading>> queue = new();
    private readonly SemaphoreSlim wakeUp = new(0);
    private int wakeUpPending;

    /// <summary>Queues readings a commit stored for their patients (not duplicates, not unattributed ones); only once that commit has returned.</summary>
    public void Publish(IReadOnlyList<Reading> committed)
    {
        queue.Enqueue(committed);
        if (Interlocked.Exchange(ref wakeUpPending, 1) == 0)
        {
            wakeUp.Release();
        }
    }

    /// <summary>Completes once something is queued (at once when it already is).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        while (queue.IsEmpty)
        {
            await wakeUp.WaitAsync(cancellationToken);
            Volatile.Write(ref wakeUpPending, 0);
        }
    }

    /// <summary>Takes the oldest published readings, if any: one ingested payload (or a device's share of one).</summary>
    public bool TryTake(out IReadOnlyList<Reading> committed) => queue.TryDequeue(out committed!);
}
