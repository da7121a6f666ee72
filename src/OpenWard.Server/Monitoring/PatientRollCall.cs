using OpenWard.Server.Alerts;

namespace OpenWard.Server.Monitoring;

/// <summary>
/// At start-up, starts watching every patient whose monitoring runs on timers — those with readings
/// a clinician expects at intervals ("no data" when one is overdue) and those with open alerts
/// (resolved after a hold-off when the condition has cleared) — so that a patient whose devices
/// stay silent after a restart is still noticed. Other patients' grains start with their next reading.
/// </summary>
public sealed partial class PatientRollCall(
    AlertSettingsStore settings, AlertStore alerts, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<PatientRollCall> logger) : BackgroundService
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching {Watched} patients whose monitoring runs on timers ({Failed} could not be started)")]
    private static partial void LogRollCall(ILogger logger, int watched, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "A patient's monitoring could not be started at start-up; it starts with their next reading")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
