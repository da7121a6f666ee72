using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Pushes alert changes live, once they are stored, to the consoles that may see the patient
/// (<see cref="PatientAudience"/>). Their webhook and e-mail deliveries are not queued here: the store queues
/// them in the change's own transaction (<see cref="AlertStore"/>, <see cref="DeliveryQueue"/>). Works through
/// the changes in the order they were told, on its own: a patient's grain tells and goes on (<see cref="Tell"/>)
/// without waiting for the hub; a person's request waits until its change is pushed (<see cref="NotifyAsync"/>).
/// What was told before a shutdown is still pushed. Consoles connected to other nodes sharing the store
/// hear of it too: this node signals the alert's id (<see cref="StoreSignals"/>), and each other node
/// reads the alert from the store and pushes it to its own consoles.
/// </summary>
public sealed partial class AlertNotifier(
    PatientAudience audience, IHubContext<AlertsHub> hub, AlertStore alerts, StoreSignals signals, ILogger<AlertNotifier> logger) : BackgroundService
{
    private const string Topic = "alert";

    // How many changes may wait to be pushed before a grain's are dropped (a person's request waits for room instead).
    private const int Capacity = 10_000;

    // Bounded so that a hub that cannot keep up does not take the server's memory with it. Nothing durable is lost
    // when a change is dropped — the change and its deliveries are stored — and consoles see it when they list alerts.
    private readonly Channel<Told> waiting = Channel.CreateBounded<Told>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private volatile bool closed;

    /// <summary>Hands a stored change over to be pushed live, without waiting for it.</summary>
    public void Tell(AlertNotice notice)
    {
        if (waiting.Writer.TryWrite(new Told(notice, null)))
        {
            return;
        }

        if (closed)
        {
            // Shutting down and the queue is closed: push it on the side rather than lose it.
            _ = PushAsync(notice, CancellationToken.None);
        }
        else
        {
            // A grain never waits on the hub: its change is stored with its deliveries, only the live push is lost.
            LogLivePushDropped(logger, notice.Change, Capacity);
        }
    }

    /// <summary>Hands a stored change over and waits until it is pushed live (waiting for room when many are waiting).</summary>
    public async Task NotifyAsync(AlertNotice notice, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await waiting.Writer.WriteAsync(new Told(notice, done), cancellationToken);
        }
        catch (ChannelClosedException)
        {
            await PushAsync(notice, cancellationToken);
            return;
        }

        await done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        signals.Listen(Topic, PushFromOtherNodeAsync);
        // On shutdown the queue closes, and what is in it is still pushed before this ends.
        using var closing = stoppingToken.Register(() =>
        {
            closed = true;
            waiting.Writer.TryComplete();
        });
        await foreach (var told in waiting.Reader.ReadAllAsync(CancellationToken.None))
        {
            // The other nodes are told while this node pushes to its own consoles, not after.
            var signalled = signals.SendAsync(Topic, told.Notice.Alert.Id, CancellationToken.None);
            await PushAsync(told.Notice, CancellationToken.None);
            told.Done?.TrySetResult();
            await signalled;
        }
    }

    // The alert as the store holds it now: a later change than the one signalled is pushed as it is.
    private async Task PushFromOtherNodeAsync(StoreSignal signal, CancellationToken cancellationToken)
    {
        if (await alerts.FindAsync(signal.Subject, withEvents: false, cancellationToken) is { } alert)
        {
            await PushAsync(new AlertNotice("changed", alert), cancellationToken);
        }
    }

    // Never fails but for cancellation.
    private async Task PushAsync(AlertNotice notice, CancellationToken cancellationToken)
    {
        var alert = notice.Alert with { Events = null };
        try
        {
            var groups = await audience.AlertGroupsAsync(alert.PatientId, cancellationToken);
            await hub.Clients.Groups(groups).SendAsync(AlertsHub.AlertMessage, alert, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Stored with its deliveries: consoles see it when they list alerts; escalation goes on.
            LogLiveDeliveryFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live delivery of an alert failed; it is stored")]
    private static partial void LogLiveDeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An alert change ({Change}) was not pushed live: {Capacity} changes are already waiting; it is stored with its deliveries")]
    private static partial void LogLivePushDropped(ILogger logger, string change, int capacity);

    // A change told, and for a person's request, what tells them it is done.
    private sealed record Told(AlertNotice Notice, TaskCompletionSource? Done);
}
