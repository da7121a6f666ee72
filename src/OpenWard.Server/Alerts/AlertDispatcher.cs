using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Works through the delivery queue: each due notice is sent on its channel; a failure is retried
/// with exponential back-off up to the configured number of attempts, then marked failed (and
/// visible at <c>/api/v1/alerts/{id}/deliveries</c>).
/// </summary>
public sealed partial class AlertDispatcher(
    DeliveryQueue queue, IEnumerable<IAlertChannel> channels, IOptions<OpenWardOptions> options, TimeProvider clock, ILogger<AlertDispatcher> logger)
    : BackgroundService
{
    /// <summary>Attempts every delivery that is due now.</summary>
    public async Task DispatchDueAsync(CancellationToken cancellationToken)
    {
        var alerting = options.Value.Alerting;
        foreach (var due in await queue.DueAsync(cancellationToken))
        {
            var channel = channels.FirstOrDefault(c => c.Name == due.Channel);
            var error = channel is null ? "the channel is no longer configured" : await channel.SendAsync(due.Target, due.Payload, cancellationToken);
            var attempts = due.Attempts + 1;
            TimeSpan? retryAfter = error is not null && attempts < alerting.DeliveryAttempts
                ? alerting.RetryBackoff * Math.Pow(2, attempts - 1)
                : null;
            await queue.RecordAsync(due.Id, error, retryAfter, cancellationToken);
            if (error is not null && retryAfter is null)
            {
                LogDeliveryFailed(logger, due.Channel, attempts);
            }
        }
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
                    await DispatchDueAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogDispatchFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; pending deliveries are in the store and go out after the restart.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An alert delivery on {Channel} failed for good after {Attempts} attempts")]
    private static partial void LogDeliveryFailed(ILogger logger, string channel, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching alert deliveries failed; retrying on the next check")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
