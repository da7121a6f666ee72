using OpenWard.Core.Readings;

namespace OpenWard.Server.Monitoring;

/// <summary>Delivers committed readings from the <see cref="PatientFeed"/> to each patient's grain, and tells open consoles.</summary>
public sealed partial class PatientMonitorDispatcher(
    PatientFeed feed, IGrainFactory grains, WardOverview.WardNotices notices, ILogger<PatientMonitorDispatcher> logger)
    : BackgroundService
{
    private const int MaxReadingsPerRound = 50_000;
    private const int MaxKnownPatients = 100_000;

    // A failed delivery is tried again after 0.5, 1, 2 … 32 s (about a minute in all): longer than a cluster
    // takes to declare a dead node dead and start its grains elsewhere.
    private const int Redeliveries = 7;
    private static readonly TimeSpan FirstRedeliveryWait = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource stopping = new();

    // Orleans works out a grain's type from its interface on every GetGrain call (parsing and
    // formatting type names): once per patient instead of once per delivery. One reference per
    // patient who sent readings recently (forgotten all at once beyond MaxKnownPatients, so years of
    // admissions do not accumulate); used only from the delivery loop.
    private readonly Dictionary<string, IPatientGrain> patientGrains = new(StringComparer.Ordinal);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await feed.WaitAsync(stoppingToken);

                // A group commit answers its callers all at once, and each publishes its own readings:
                // the first wakes this loop. Queued behind the rest of those answers, the round takes
                // the whole commit instead of a caller or two.
                await Task.Yield();

                // Commits that queued while the last round was delivered go together: one call per patient.
                var committed = new List<Reading>();
                while (committed.Count < MaxReadingsPerRound && feed.TryTake(out var next))
                {
                    committed.AddRange(next);
                }

                var deliveries = committed
                    .GroupBy(r => r.PatientId!, StringComparer.Ordinal)
                    .Select(patient => DeliverAsync(patient.Key, GrainOf(patient.Key), [.. patient.Select(ToObservation)]));
                await Task.WhenAll(deliveries);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; grains rebuild their state from the store on their next activation.
        }
    }

    /// <summary>The grain's form of a stored reading.</summary>
    public static VitalObservation ToObservation(Reading reading) => new()
    {
        Vital = reading.Vital,
        Value = reading.Value,
        Components = reading.Components is null ? null : new Dictionary<string, double>(reading.Components),
        Unit = reading.Unit,
        Time = reading.DeviceTime,
        DeviceId = reading.DeviceId,
    };

    private IPatientGrain GrainOf(string patientId)
    {
        if (!patientGrains.TryGetValue(patientId, out var grain))
        {
            if (patientGrains.Count >= MaxKnownPatients)
            {
                patientGrains.Clear();
            }

            grain = grains.GetGrain<IPatientGrain>(patientId);
            patientGrains[patientId] = grain;
        }

        return grain;
    }

    private async Task DeliverAsync(string patientId, IPatientGrain grain, List<VitalObservation> observations)
    {
        notices.Changed(patientId);
        try
        {
            await grain.ObserveAsync(new ObservationBatch(observations));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // In a cluster the grain may have lived on a node that just died, until the others declare it dead
            // and the grain starts again on one of them. The readings are stored, but the rules must still see
            // them (an emergency call among them): delivered again, on the side, so other patients do not wait.
            LogDeliveryFailed(logger, exception, observations.Count);
            _ = DeliverAgainAsync(grain, observations);
        }
    }

    private async Task DeliverAgainAsync(IPatientGrain grain, List<VitalObservation> observations)
    {
        var wait = FirstRedeliveryWait;
        for (var attempt = 1; attempt <= Redeliveries; attempt++, wait *= 2)
        {
            try
            {
                await Task.Delay(wait, stopping.Token);
                await grain.ObserveAsync(new ObservationBatch(observations));
                return;
            }
            catch (OperationCanceledException)
            {
                // Shutting down; the grain rebuilds its latest values from the store on its next activation.
                return;
            }
            catch (Exception exception) when (attempt == Redeliveries)
            {
                LogRedeliveryFailed(logger, exception, observations.Count, Redeliveries);
            }
            catch (Exception)
            {
                // Tried again after a longer wait.
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        stopping.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering {Count} readings to a patient grain failed {Attempts} more times; the rules did not see them")]
    private static partial void LogRedeliveryFailed(ILogger logger, Exception exception, int count, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering {Count} readings to a patient grain failed; delivering them again shortly")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, int count);
}
