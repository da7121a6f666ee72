using System.Net.Http.Json;
using System.Text.Json;

namespace OpenWard.Testing;

/// <summary>
/// Two care teams, a patient on each with a reading and an open alert, and one signed-in caller for
/// every role and relationship the authorisation matrix asks about. The target patient is always
/// <see cref="TargetPatientId"/> (on the test ward).
/// </summary>
public sealed class MatrixWard : RunningServer
{
    public string TargetPatientId { get; private set; } = "";

    public string TargetAlertId { get; private set; } = "";

    /// <summary>The FHIR id of the target patient's reading.</summary>
    public string TargetObservationId { get; private set; } = "";

    public string OtherPatientId { get; private set; } = "";

    public string OtherWardId { get; private set; } = "";

    /// <summary>Callers by relationship name; null is anonymous.</summary>
    public Dictionary<string, HttpClient?> Callers { get; } = [];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        OtherWardId = await AddCareTeamAsync("Other ward");
        var (deviceId, secret, patientId) = await AssignedDeviceAsync();
        TargetPatientId = patientId;
        OtherPatientId = await AddPatientAsync("Other Patient", OtherWardId);

        using (var device = await ConnectDeviceAsync(deviceId, secret))
        {
            var time = Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1));
            await device.PublishReadingsAsync($"devices/{deviceId}/readings",
                $$"""[{"vital":"blood-glucose","time":"{{time}}","value":45,"unit":"mg/dL"}]""");
        }

        TargetAlertId = await WaitForAlertAsync(TargetPatientId);
        var observations = await Clinician.GetFromJsonAsync<JsonElement>($"/fhir/Observation?patient={TargetPatientId}");
        TargetObservationId = observations.GetProperty("entry")[0].GetProperty("resource").GetProperty("id").GetString()!;

        var integration = await Admin.PostAsJsonAsync("/api/v1/clients", new { name = "Matrix record system", role = "integration" });
        var created = await integration.Content.ReadFromJsonAsync<JsonElement>();
        Callers["anonymous"] = null;
        Callers["administrator client"] = Admin;
        Callers["integration client"] = await SignInAsync((created.GetProperty("clientId").GetString()!, created.GetProperty("clientSecret").GetString()!));
        using (var backendService = await BackendService.RegisterAsync(this, "RS384", "system/*.rs"))
        {
            Callers["backend service (system/*.rs)"] = await backendService.SignInAsync(this);
        }

        Callers["administrator (no team)"] = await SignInPersonAsync("administrator");
        Callers["clinician, own team"] = Clinician;
        Callers["nurse, own team"] = await SignInPersonAsync("nurse", TestWardId);
        Callers["clinician, other team"] = await SignInPersonAsync("clinician", OtherWardId);
        Callers["nurse, other team"] = await SignInPersonAsync("nurse", OtherWardId);
        Callers["patient, self"] = await SignInPersonAsync("patient", patientId: TargetPatientId);
        Callers["patient, other patient"] = await SignInPersonAsync("patient", patientId: OtherPatientId, confirmer: Callers["clinician, other team"]);
        var glass = await SignInPersonAsync("clinician", OtherWardId);
        using var opened = await glass.PostAsJsonAsync($"/api/v1/patients/{TargetPatientId}/break-glass",
            new { reason = "Covering the night shift; patient's own team unreachable" });
        opened.EnsureSuccessStatusCode();
        Callers["clinician, break-glass"] = glass;
    }
}
