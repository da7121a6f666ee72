using Microsoft.AspNetCore.SignalR;
using OpenWard.Core.Alerting;
using OpenWard.Core.Scores;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Where rule findings become alerts: stored with their history, then delivered live to connected
/// consoles and queued for every configured channel (webhooks, e-mail). Also keeps each patient's
/// NEWS2 history.
/// </summary>
public sealed partial class AlertService(
    AlertStore store, News2History news2, DeliveryQueue deliveries, IEnumerable<IAlertChannel> channels,
    Patients.PatientRegistry patients, IHubContext<AlertsHub> hub, ILogger<AlertService> logger)
{
    /// <summary>Stores and delivers what a patient's rules found.</summary>
    public async Task ApplyAsync(string patientId, IReadOnlyList<RuleFinding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings)
        {
            if (await store.ApplyAsync(patientId, finding, cancellationToken) is { } alert)
            {
                var change = alert.State == AlertStates.Resolved ? "resolved" : alert.RaisedAt == alert.UpdatedAt ? "raised" : "updated";
                await DeliverAsync(change, alert, cancellationToken);
            }
        }
    }

    /// <summary>Keeps a new NEWS2 score in the patient's history.</summary>
    public Task RecordNews2Async(string patientId, DateTimeOffset at, News2Score score, CancellationToken cancellationToken) =>
        news2.AppendAsync(patientId, at, score, cancellationToken);

    /// <summary>Sends an alert's change to the consoles that may see the patient and queues it for every channel.</summary>
    public async Task DeliverAsync(string change, Alert alert, CancellationToken cancellationToken)
    {
        var targets = channels.SelectMany(c => c.Targets.Select(t => (c.Name, t))).ToList();
        if (targets.Count > 0)
        {
            await deliveries.EnqueueAsync(new AlertNotice(change, alert with { Events = null }), targets, cancellationToken);
        }

        try
        {
            var careTeam = await patients.CareTeamOfAsync(alert.PatientId, cancellationToken);
            IReadOnlyList<string> groups = careTeam is null ? [AlertsHub.EveryPatient] : [AlertsHub.EveryPatient, AlertsHub.CareTeamGroup(careTeam)];
            await hub.Clients.Groups(groups).SendAsync(AlertsHub.AlertMessage, alert, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Stored: consoles see it when they list alerts; escalation goes on.
            LogDeliveryFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live delivery of an alert failed; it is stored")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception);
}
