using OpenWard.Server.Alerts;

namespace OpenWard.Server.Monitoring;

/// <summary>Has the patient's grain read their alert settings again when they change.</summary>
public sealed class PatientSettingsReload(IGrainFactory grains) : IAlertSettingsListener
{
    /// <inheritdoc />
    public Task SettingsChangedAsync(string patientId) => grains.GetGrain<IPatientGrain>(patientId).ReloadSettingsAsync();
}
