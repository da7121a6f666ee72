namespace OpenWard.Server.Alerts;

/// <summary>
/// Told when a patient's alert settings change, so that monitoring applies them at once. A seam:
/// alerting declares it, and monitoring (which alerting must not import) implements it.
/// </summary>
public interface IAlertSettingsListener
{
    /// <summary>The patient's alert settings were just stored.</summary>
    Task SettingsChangedAsync(string patientId);
}
