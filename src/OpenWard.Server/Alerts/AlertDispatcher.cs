using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Works through the delivery queue: each due notice is sent on its channel; a failure is retried
/// with exponential back-off up to the configured number of attempts, then marked failed (and
/// visible at <c>/api/v1/alerts/{id}/deliveries</c>).
/// </summary>
public sealed partial class AlertDispatcher(
    DeliveryQueue queue, IEnumerable<IAlertChannel> channels, IOptions<AlertingOptions> options, TimeProvider clock, ILogger<AlertDispatcher> logger)
    : PeriodicCheck(options.Value.EscalationCheck, clock, logger)
{
    /// <summary>Attempts every delivery that is due now.</summary>
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        var alerting = options.Value;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "An alert delivery on {Channel} failed for good after {Attempts} attempts")]
    private static partial void LogDeliveryFailed(ILogger logger, string channel, int attempts);
}
