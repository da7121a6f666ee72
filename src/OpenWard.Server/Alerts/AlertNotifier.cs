using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Tells people about alert changes once they are stored: queues each for every channel's targets (webhooks,
/// e-mail; <see cref="DeliveryQueue"/> then sends them) and pushes it live to the consoles that may see the
/// patient (<see cref="PatientAudience"/>). Works through the changes in the order they were told, on its own:
/// a patient's grain tells and goes on (<see cref="Tell"/>) without waiting for the store or the hub; a
/// person's request waits until its change is queued (<see cref="NotifyAsync"/>). What was told before a
/// shutdown is still worked through.
/// </summary>
public sealed partial class AlertNotifier(
    DeliveryQueue deliveries, PatientAudience audience, IHubContext<AlertsHub> hub, ILogger<AlertNotifier> logger) : BackgroundService
{
    private readonly Channel<Told> waiting = Channel.CreateUnbounded<Told>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Hands a stored change over to be delivered, without waiting for it.</summary>
    public void Tell(AlertNotice notice)
    {
        if (!waiting.Writer.TryWrite(new Told(notice, null)))
        {
            // Shutting down and the queue is closed: deliver it on the side rather than lose it.
            _ = DeliverOrLogAsync(notice);
        }
    }

    /// <summary>Hands a stored change over and waits until it is queued for every channel and pushed live.</summary>
    public async Task NotifyAsync(AlertNotice notice, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!waiting.Writer.TryWrite(new Told(notice, done)))
        {
            await DeliverAsync(notice, cancellationToken);
            return;
        }

        await done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // On shutdown the queue closes, and what is in it is still delivered before this ends.
        using var closing = stoppingToken.Register(() => waiting.Writer.TryComplete());
        await foreach (var told in waiting.Reader.ReadAllAsync(CancellationToken.None))
        {
            if (told.Done is null)
            {
                await DeliverOrLogAsync(told.Notice);
                continue;
            }

            try
            {
                await DeliverAsync(told.Notice, CancellationToken.None);
                told.Done.TrySetResult();
            }
            catch (Exception exception)
            {
                told.Done.TrySetException(exception);
            }
        }
    }

    // Queued in the store for every channel first, so that a restart loses none; then pushed live.
    private async Task DeliverAsync(AlertNotice notice, CancellationToken cancellationToken)
    {
        var alert = notice.Alert with { Events = null };
        var targets = audience.DeliveryTargets();
        if (targets.Count > 0)
        {
            await deliveries.EnqueueAsync(notice with { Alert = alert }, targets, cancellationToken);
        }

        try
        {
            var groups = await audience.AlertGroupsAsync(alert.PatientId, cancellationToken);
            await hub.Clients.Groups(groups).SendAsync(AlertsHub.AlertMessage, alert, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Stored: consoles see it when they list alerts; escalation goes on.
            LogLiveDeliveryFailed(logger, exception);
        }
    }

    private async Task DeliverOrLogAsync(AlertNotice notice)
    {
        try
        {
            await DeliverAsync(notice, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogDeliveryFailed(logger, notice.Change, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live delivery of an alert failed; it is stored")]
    private static partial void LogLiveDeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "An alert change ({Change}) could not be queued for delivery; the alert itself is stored")]
    private static partial void LogDeliveryFailed(ILogger logger, string change, Exception exception);

    // A change told, and for a person's request, what tells them it is done.
    private sealed record Told(AlertNotice Notice, TaskCompletionSource? Done);
}
