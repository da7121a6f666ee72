using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using OpenWard.Server.Alerts;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.WardOverview;

/// <summary>
/// Tells open consoles which of their patients have new readings: once a second, a <c>ward</c>
/// message on <c>/hubs/alerts</c> with the ids of the patients whose readings were stored since the
/// last one — to those who hear about each patient (<see cref="PatientAudience"/>): the patients' care
/// teams, integration clients, and each patient's own portal. Ids only: the console reads what changed
/// through the API, where access is checked and audited, so a missed notice costs at most a second's
/// staleness, never data. Readings stored by other nodes sharing the store are told here by their
/// signal (<see cref="StoreSignals"/>), and this node's to them, so a console hears of every patient
/// whichever node took the reading.
/// </summary>
public sealed class WardNotices(PatientAudience audience, IHubContext<AlertsHub> hub, StoreSignals signals, TimeProvider clock, ILogger<WardNotices> logger)
    : PeriodicCheck(TimeSpan.FromSeconds(1), clock, logger)
{
    /// <summary>The client method that receives the changed patients' ids.</summary>
    public const string Message = "ward";

    private const string Topic = "ward";

    // Patient ids per signal, well inside a signal's 8,000 bytes.
    private const int IdsPerSignal = 100;

    private readonly ConcurrentDictionary<string, byte> changed = new(StringComparer.Ordinal);

    // Told by other nodes: pushed to this node's consoles, not told back.
    private readonly ConcurrentDictionary<string, byte> changedElsewhere = new(StringComparer.Ordinal);

    /// <summary>A patient's readings were stored (called for every delivery; cheap).</summary>
    public void Changed(string patientId) => changed.TryAdd(patientId, 0);

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        signals.Listen(Topic, (signal, _) =>
        {
            foreach (var id in signal.Subject.Split(','))
            {
                changedElsewhere.TryAdd(id, 0);
            }

            return Task.CompletedTask;
        });
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        var here = Take(changed);
        var elsewhere = Take(changedElsewhere);
        if (here.Count + elsewhere.Count == 0)
        {
            return;
        }

        foreach (var (group, patients) in await audience.WardGroupsAsync([.. here.Union(elsewhere, StringComparer.Ordinal)], cancellationToken))
        {
            await hub.Clients.Group(group).SendAsync(Message, patients, cancellationToken);
        }

        foreach (var chunk in here.Chunk(IdsPerSignal))
        {
            await signals.SendAsync(Topic, string.Join(',', chunk), cancellationToken);
        }
    }

    private static List<string> Take(ConcurrentDictionary<string, byte> ids)
    {
        var taken = new List<string>();
        foreach (var id in ids.Keys)
        {
            if (ids.TryRemove(id, out _))
            {
                taken.Add(id);
            }
        }

        return taken;
    }
}
