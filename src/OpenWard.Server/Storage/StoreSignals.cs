using System.Collections.Concurrent;

namespace OpenWard.Server.Storage;

/// <summary>
/// Short signals between the OpenWard nodes that share one store: a node that changed something other
/// nodes keep in memory, or pushed something live to its own consoles, tells the others the subject's id
/// (a device id, an alert id), and they read what changed from the store. Ids only — never a patient's
/// details — so what a signal carries is what any node may read anyway. On SQLite there is one node and
/// nothing to tell; on PostgreSQL <see cref="PostgreSqlStoreSignals"/> carries them (LISTEN/NOTIFY).
/// Signals are not durable: a node that was not listening catches up through the handler's
/// <c>missed</c> callback, run whenever it (re)starts listening.
/// </summary>
public class StoreSignals
{
    private readonly ConcurrentDictionary<string, Listener> listeners = new(StringComparer.Ordinal);

    /// <summary>Tells the other nodes that <paramref name="subject"/> changed under <paramref name="topic"/>. One node: nothing to do.</summary>
    public virtual Task SendAsync(string topic, string subject, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Registers what this node does when another node signals on <paramref name="topic"/>, and how it
    /// catches up when signals may have been missed (<paramref name="missed"/>: e.g. reload everything).
    /// </summary>
    public void Listen(string topic, Func<StoreSignal, CancellationToken, Task> heard, Func<CancellationToken, Task>? missed = null)
    {
        if (!listeners.TryAdd(topic, new Listener(heard, missed)))
        {
            throw new InvalidOperationException($"the store signal topic {topic} already has a listener");
        }
    }

    /// <summary>The topics listened to, with their handlers.</summary>
    protected IReadOnlyDictionary<string, Listener> Listeners => listeners;

    /// <summary>What a node does with a topic's signals.</summary>
    protected sealed record Listener(Func<StoreSignal, CancellationToken, Task> Heard, Func<CancellationToken, Task>? Missed);
}

/// <summary>A signal another node sent: the node (an id it drew at start) and the subject it told of.</summary>
public sealed record StoreSignal(string Node, string Subject);
