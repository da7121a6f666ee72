using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Escalates alerts nobody acknowledged: on each check, alerts whose next tier is due move to it
/// and are delivered again. Driven by the store, so escalations due during a restart happen after it.
/// </summary>
public sealed partial class AlertEscalator(AlertStore store, AlertService alerts, IOptions<OpenWardOptions> options, TimeProvider clock, ILogger<AlertEscalator> logger)
    : BackgroundService
{
    /// <summary>Escalates every alert that is due now; returns how many moved.</summary>
    public async Task<int> EscalateDueAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var due in await store.DueForEscalationAsync(clock.GetUtcNow(), cancellationToken))
        {
            if (await store.EscalateAsync(due, cancellationToken) is { } escalated)
            {
                moved++;
                await alerts.DeliverAsync("escalated", escalated, cancellationToken);
            }
        }

        return moved;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Alerting.EscalationCheck, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await EscalateDueAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogEscalationFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; due escalations are picked up after the restart.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Escalating alerts failed; retrying on the next check")]
    private static partial void LogEscalationFailed(ILogger logger, Exception exception);
}
