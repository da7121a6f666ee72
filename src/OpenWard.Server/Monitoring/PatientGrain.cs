using OpenWard.Server.Storage;

namespace OpenWard.Server.Monitoring;

/// <summary>
/// A patient's monitoring state. It is rebuilt from the store when the grain activates, so nothing
/// is lost when a silo restarts; the alerting rules will run here.
/// </summary>
public sealed class PatientGrain(ReadingQueries readings) : Grain, IPatientGrain
{
    private readonly Dictionary<string, VitalObservation> latest = new(StringComparer.Ordinal);
    private long observed;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var reading in await readings.LatestAsync(this.GetPrimaryKeyString(), cancellationToken))
        {
            latest[reading.Vital] = PatientMonitorDispatcher.ToObservation(reading);
        }
    }

    /// <inheritdoc />
    public Task ObserveAsync(ObservationBatch batch)
    {
        foreach (var observation in batch.Observations)
        {
            observed++;
            if (!latest.TryGetValue(observation.Vital, out var current) || observation.Time >= current.Time)
            {
                latest[observation.Vital] = observation;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<PatientMonitorState> GetStateAsync() => Task.FromResult(new PatientMonitorState
    {
        Latest = [.. latest.Values.OrderBy(o => o.Vital, StringComparer.Ordinal)],
        ObservationsSinceActivation = observed,
    });
}
