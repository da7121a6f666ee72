namespace OpenWard.Server.Monitoring;

/// <summary>One grain per patient (keyed by patient id) that watches that patient's readings.</summary>
[Alias("OpenWard.IPatientGrain")]
public interface IPatientGrain : IGrainWithStringKey
{
    /// <summary>Takes newly committed readings of this patient.</summary>
    [Alias("Observe")]
    Task ObserveAsync(ObservationBatch batch);

    /// <summary>Rebuilds the patient's rules after a clinician changed their alert settings.</summary>
    [Alias("ReloadSettings")]
    Task ReloadSettingsAsync();

    /// <summary>
    /// Starts watching the patient without a reading (at start-up): from then on the grain's timer
    /// notices overdue readings and lets hold-offs expire, whether or not anything arrives.
    /// </summary>
    [Alias("Watch")]
    Task WatchAsync();

    /// <summary>The grain's current view of the patient.</summary>
    [Alias("GetState")]
    Task<PatientMonitorState> GetStateAsync();
}
