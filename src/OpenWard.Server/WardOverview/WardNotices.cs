using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using OpenWard.Server.Alerts;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.WardOverview;

/// <summary>
/// Tells open consoles which of their patients have new readings: once a second, a <c>ward</c>
/// message on <c>/hubs/alerts</c> with the ids of the patients whose readings were stored since the
/// last one — to those who hear about each patient (<see cref="PatientAudience"/>): the patients' care
/// teams, integration clients, and each patient's own portal. Ids only: the console reads what changed
/// through the API, where access is checked and audited, so a missed notice costs at most a second's
/// staleness, never data.
/// </summary>
public sealed class WardNotices(PatientAudience audience, IHubContext<AlertsHub> hub, TimeProvider clock, ILogger<WardNotices> logger)
    : PeriodicCheck(TimeSpan.FromSeconds(1), clock, logger)
{
    /// <summary>The client method that receives the changed patients' ids.</summary>
    public const string Message = "ward";

    private readonly ConcurrentDictionary<string, byte> changed = new(StringComparer.Ordinal);

    /// <summary>A patient's readings were stored (called for every delivery; cheap).</summary>
    public void Changed(string patientId) => changed.TryAdd(patientId, 0);

    /// <inheritdoc />
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (changed.IsEmpty)
        {
            return;
        }

        var ids = new List<string>();
        foreach (var id in changed.Keys)
        {
            if (changed.TryRemove(id, out _))
            {
                ids.Add(id);
            }
        }

        foreach (var (group, patients) in await audience.WardGroupsAsync(ids, cancellationToken))
        {
            await hub.Clients.Group(group).SendAsync(Message, patients, cancellationToken);
        }
    }
}
