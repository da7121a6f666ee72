namespace OpenWard.Cli.Api;

/// <summary>The admin calls that set up patients and their devices, shared by <c>simulate</c> and <c>bench</c>.</summary>
public static class WardAdministration
{
    /// <summary>Adds a patient, on the care team given (or none), and returns their id.</summary>
    public static async Task<string> AddPatientAsync(OpenWardApi api, string name, string? careTeamId, CancellationToken cancellationToken) =>
        (await api.PostAsync("/api/v1/patients", new { name, careTeamId }, cancellationToken)).GetProperty("id").GetString()!;

    /// <summary>Registers a device, assigns it to the patient from <paramref name="assignedFrom"/> on, and returns its secret.</summary>
    public static async Task<string> AddAssignedDeviceAsync(
        OpenWardApi api, string deviceId, string model, string patientId, DateTimeOffset assignedFrom, CancellationToken cancellationToken)
    {
        var device = await api.PostAsync("/api/v1/devices", new { id = deviceId, model, serial = "SIM-" + deviceId }, cancellationToken);
        await api.PostAsync($"/api/v1/devices/{Uri.EscapeDataString(deviceId)}/assignment", new { patientId, from = assignedFrom }, cancellationToken);
        return device.GetProperty("secret").GetString()!;
    }
}
