using OpenWard.Server.Alerts;

namespace OpenWard.Server.Monitoring;

/// <summary>
/// At start-up, starts watching every patient whose monitoring runs on timers — those with readings
/// a clinician expects at intervals ("no data" when one is overdue) and those with open alerts
/// (resolved after a hold-off when the condition has cleared) — so that a patient whose devices
/// stay silent after a restart is still noticed. Other patients' grains start with their next reading.
/// In a cluster the roll is called again by every node that sees another node leave: the grains that
/// lived there start again on the survivors (calling a grain that is already active costs one call).
/// </summary>
public sealed partial class PatientRollCall(
    AlertSettingsStore settings, AlertStore alerts, IGrainFactory grains, IClusterMembershipService membership,
    IHostApplicationLifetime lifetime, ILogger<PatientRollCall> logger) : BackgroundService
{
    private const int ActivationsAtOnce = 4;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The silo takes calls once the host has started.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await CallTheRollAsync(stoppingToken);
        try
        {
            var active = ActiveNodes(membership.CurrentSnapshot);
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var now = ActiveNodes(snapshot);
                var left = active.Except(now).ToList();
                active = now;
                if (left.Count > 0)
                {
                    LogNodeLeft(logger, string.Join(", ", left));
                    await CallTheRollAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static HashSet<SiloAddress> ActiveNodes(ClusterMembershipSnapshot snapshot) =>
        [.. snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)];

    private async Task CallTheRollAsync(CancellationToken stoppingToken)
    {
        var patients = (await settings.PatientsExpectingReadingsAsync(stoppingToken))
            .Union(await alerts.PatientsWithOpenAlertsAsync(stoppingToken), StringComparer.Ordinal)
            .ToList();
        var failed = 0;
        // A few at a time: each activation reads the patient's recent history from the store.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ActivationsAtOnce, CancellationToken = stoppingToken };
        await Parallel.ForEachAsync(patients, parallel, async (patientId, _) =>
        {
            try
            {
                await grains.GetGrain<IPatientGrain>(patientId).WatchAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Interlocked.Increment(ref failed);
                LogWatchFailed(logger, exception);
            }
        });

        LogRollCall(logger, patients.Count - failed, failed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Nodes} left the cluster: calling the roll of patients watched on timers again")]
    private static partial void LogNodeLeft(ILogger logger, string nodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching {Watched} patients whose monitoring runs on timers ({Failed} could not be started)")]
    private static partial void LogRollCall(ILogger logger, int watched, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "A patient's monitoring could not be started at start-up; it starts with their next reading")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
