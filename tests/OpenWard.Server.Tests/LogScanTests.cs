using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class LogScanTests(ProductionLoggingServer server) : IClassFixture<ProductionLoggingServer>
{
    [Fact]
    public async Task AWorkdayOfClinicalTraffic_LeavesNoPatientDataOrSecretInTheLogs()
    {
        var ct = TestContext.Current.CancellationToken;
        const string name = "Marigold Featherstonehaugh";
        const string mrn = "MRN-LOG-9911";
        const string note = "Marigold's daughter says she fell on the stairs";
        using var added = await server.Admin.PostAsJsonAsync("/api/v1/patients", new { name, mrn, careTeamId = server.TestWardId }, ct);
        var patientId = (await added.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        var (deviceId, deviceSecret) = await server.RegisterDeviceAsync();
        await server.AssignAsync(deviceId, patientId, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));

        // Readings, an alert, a refused payload that names the patient, a wrong secret over MQTT and HTTP.
        using (var device = await server.ConnectDeviceAsync(deviceId, deviceSecret))
        {
            await device.PublishReadingsAsync($"devices/{deviceId}/readings",
                $$"""[{"vital":"blood-glucose","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1))}}","value":45,"unit":"mg/dL"}]""");
            await device.PublishReadingsAsync($"devices/{deviceId}/readings", $$"""[{"vital":"mood","patient":"{{name}}","mrn":"{{mrn}}"}]""");
        }

        using (var impostor = new MqttClientFactory().CreateMqttClient())
        {
            await impostor.ConnectAsync(server.MqttOptions(deviceId, deviceSecret + "x").Build(), ct);
        }

        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{deviceId}:wrong")));
            using var refused = await http.PostAsync($"/api/v1/devices/{deviceId}/readings", new StringContent("[]", Encoding.UTF8, "application/json"), ct);
        }

        // Clinicians at work: the alert acknowledged with a note, a wrong password, a second factor, break-glass.
        var alertId = await server.WaitForAlertAsync(patientId);
        using var acknowledged = await server.Clinician.PostAsJsonAsync($"/api/v1/alerts/{alertId}/acknowledge", new { note }, ct);
        var (_, userName) = await server.AddUserAsync("clinician");
        await PersonSignIn.SubmitPasswordAsync(server, userName, "a wrong password");
        using var secondFactor = await server.Clinician.PostAsync("/api/v1/me/second-factor", null, ct);
        var totpSecret = (await secondFactor.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("secret").GetString()!;
        using var covering = await server.SignInPersonAsync("nurse", await server.AddCareTeamAsync("Night cover"));
        using var glass = await covering.PostAsJsonAsync($"/api/v1/patients/{patientId}/break-glass", new { reason = $"Covering for {name}'s own team" }, ct);
        var (clientId, clientSecret) = await server.ReadBootstrapCredentialsAsync();

        var logs = server.Logs.Messages.ToList();
        Assert.Contains(logs, m => m.Contains("MQTT connection refused", StringComparison.Ordinal));
        foreach (var secret in new[] { name, "Featherstonehaugh", mrn, patientId, note, deviceSecret, clientSecret, RunningServer.TestPassword,
                     "a wrong password", totpSecret, server.ClinicianToken[..40] })
        {
            var leak = logs.FirstOrDefault(m => m.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"a log message holds what it must not: {leak?.Replace(secret, "«here»", StringComparison.Ordinal)}");
        }

        Assert.NotEmpty(clientId);
    }
}
