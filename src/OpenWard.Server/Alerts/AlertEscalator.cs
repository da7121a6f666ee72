using Microsoft.Extensions.Options;
using OpenWard.Core.Alerts;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Escalates alerts nobody acknowledged: on each check, alerts whose next tier is due move to it
/// and are delivered again. Driven by the store, so escalations due during a restart happen after it. Every node
/// sharing the store runs one: the store takes a step only on the alert as it was read
/// (<see cref="AlertStore.EscalateAsync"/>), so only the node whose step was stored notifies.
/// </summary>
public sealed class AlertEscalator(AlertStore store, AlertNotifier notifier, IOptions<AlertingOptions> options, TimeProvider clock, ILogger<AlertEscalator> logger)
    : PeriodicCheck(options.Value.EscalationCheck, clock, logger)
{
    /// <inheritdoc />
    public override Task CheckAsync(CancellationToken cancellationToken) => EscalateDueAsync(cancellationToken);

    /// <summary>Escalates every alert that is due now; returns how many moved.</summary>
    public async Task<int> EscalateDueAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var due in await store.DueForEscalationAsync(Clock.GetUtcNow(), cancellationToken))
        {
            if (await store.EscalateAsync(due, cancellationToken) is { } escalated)
            {
                moved++;
                await notifier.NotifyAsync(new AlertNotice(AlertNames.Of(AlertChange.Escalated), escalated), cancellationToken);
            }
        }

        return moved;
    }
}
