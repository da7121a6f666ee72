using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Works through the delivery queue: each due notice is claimed (<see cref="DeliveryQueue.ClaimNextAsync"/>) and
/// sent on its channel; a failure is retried with exponential back-off up to the configured number of attempts,
/// then marked failed (and visible at <c>/api/v1/alerts/{id}/deliveries</c>). Every node sharing the store runs
/// one: a claim is taken by one node only, and a node that stops mid-send leaves its delivery to another once the
/// claim lapses, so a notice may arrive twice but is never lost.
/// </summary>
public sealed partial class AlertDispatcher(
    DeliveryQueue queue, IEnumerable<IAlertChannel> channels, IOptions<AlertingOptions> options, TimeProvider clock, ILogger<AlertDispatcher> logger)
    : PeriodicCheck(options.Value.EscalationCheck, clock, logger)
{
    /// <summary>
    /// How long one send may take before it counts as a failed attempt: longer than a webhook's own time-out
    /// (10 s), and well inside <see cref="DeliveryQueue.Lease"/>, so that a slow channel never outlives its claim.
    /// </summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Attempts every delivery that is due now, one claim at a time.</summary>
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        var alerting = options.Value;
        while (await queue.ClaimNextAsync(cancellationToken) is { } due)
        {
            string? error;
            try
            {
                error = await SendAsync(due, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping mid-send: hand the delivery back at once, due now for whichever node runs next, rather
                // than leave it claimed until the lease lapses.
                using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5), Clock);
                await queue.RecordAsync(due, "cut short by the server stopping", TimeSpan.Zero, stopping.Token);
                throw;
            }

            TimeSpan? retryAfter = error is not null && due.Attempt < alerting.DeliveryAttempts
                ? alerting.RetryBackoff * Math.Pow(2, due.Attempt - 1)
                : null;
            if (await queue.RecordAsync(due, error, retryAfter, cancellationToken) && error is not null && retryAfter is null)
            {
                LogDeliveryFailed(logger, due.Channel, due.Attempt);
            }
        }
    }

    private async Task<string?> SendAsync(DeliveryQueue.Due due, CancellationToken cancellationToken)
    {
        if (channels.FirstOrDefault(c => c.Name == due.Channel) is not { } channel)
        {
            return "the channel is no longer configured";
        }

        // Not every channel bounds its own wait (SMTP sent asynchronously has no time-out): the dispatcher does.
        using var deadline = new CancellationTokenSource(SendTimeout, Clock);
        using var send = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await channel.SendAsync(due.Target, due.Payload, send.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An alert delivery on {Channel} failed for good after {Attempts} attempts")]
    private static partial void LogDeliveryFailed(ILogger logger, string channel, int attempts);
}
