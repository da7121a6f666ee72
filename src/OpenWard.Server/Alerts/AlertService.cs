using OpenWard.Core.Alerting;
using OpenWard.Core.Scores;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Where rule findings become alerts: each is stored with its history and its queued webhook and e-mail
/// deliveries before this returns (the lifecycle in Core decides what it does), then handed to the
/// <see cref="AlertNotifier"/>, which pushes it to the consoles outside the caller's turn. Also keeps each
/// patient's NEWS2 history.
/// </summary>
public sealed class AlertService(AlertStore store, News2History news2, AlertNotifier notifier)
{
    /// <summary>Stores what a patient's rules found, with its deliveries, and hands each change over to be pushed live.</summary>
    public async Task ApplyAsync(string patientId, IReadOnlyList<RuleFinding> findings, CancellationToken cancellationToken)
    {
        foreach (var finding in findings)
        {
            if (await store.ApplyAsync(patientId, finding, cancellationToken) is { } change)
            {
                notifier.Tell(change);
            }
        }
    }

    /// <summary>Keeps a new NEWS2 score in the patient's history.</summary>
    public Task RecordNews2Async(string patientId, DateTimeOffset at, News2Score score, CancellationToken cancellationToken) =>
        news2.AppendAsync(patientId, at, score, cancellationToken);
}
