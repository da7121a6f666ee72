using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Server.Alerts;
using OpenWard.Simulator.Devices;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class DemoModeTests(DemoWardServer server) : IClassFixture<DemoWardServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Demo_SeedsTheWardAndReceivesSimulatedReadingsOverMqtt()
    {
        var credentials = await WaitForCredentialsAsync();
        var devices = credentials.GetProperty("devices").EnumerateArray().ToList();
        Assert.InRange(devices.Count, 15, 18);
        Assert.All(devices, d =>
        {
            Assert.StartsWith("demo-", d.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(d.GetProperty("secret").GetString()));
            Assert.StartsWith("Simulated ", d.GetProperty("model").GetString(), StringComparison.Ordinal);
        });
        var users = credentials.GetProperty("users").EnumerateArray().ToDictionary(u => u.GetProperty("role").GetString()!);
        Assert.Equal(["administrator", "clinician", "nurse", "patient"], users.Keys.Order());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(server.DataDirectory, "demo-credentials.json")));
        }

        // The demo's own API client works.
        using var demoClient = await server.SignInAsync((credentials.GetProperty("clientId").GetString()!, credentials.GetProperty("clientSecret").GetString()!));
        var patients = devices.Select(d => d.GetProperty("patientId").GetString()!).Distinct().ToList();
        Assert.Equal(3, patients.Count);

        // The demo clinician signs in through the console's flow and sees the ward.
        using var ward = await SignInClinicianAsync(credentials);
        var roster = await ward.GetFromJsonAsync<JsonElement>("/api/v1/patients", TestContext.Current.CancellationToken);
        Assert.Equal(patients.Order(), roster.EnumerateArray().Select(p => p.GetProperty("id").GetString()!).Order());

        // The patient's own account carries the patient's name, so one person has one name in the console and the portal.
        var accounts = await demoClient.GetFromJsonAsync<JsonElement>("/api/v1/users", TestContext.Current.CancellationToken);
        var patientAccount = accounts.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "demo-patient");
        var record = roster.EnumerateArray().Single(p => p.GetProperty("id").GetString() == patientAccount.GetProperty("patientId").GetString());
        Assert.Equal(record.GetProperty("name").GetString(), patientAccount.GetProperty("displayName").GetString());

        // Live: the pulse oximeters publish every second over MQTT.
        foreach (var patient in patients)
        {
            var latest = await WaitForAsync(async () =>
            {
                var json = await ward.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patient}/latest", TestContext.Current.CancellationToken);
                return json.EnumerateArray().Any(r => r.GetProperty("vital").GetString() == "spo2") ? json : (JsonElement?)null;
            });
            var spo2 = latest.EnumerateArray().First(r => r.GetProperty("vital").GetString() == "spo2");
            var age = DateTimeOffset.UtcNow - spo2.GetProperty("time").GetDateTimeOffset();
            Assert.True(age < TimeSpan.FromMinutes(2), $"latest SpO2 is {age} old: {spo2}");
        }

        // History: the wearable bands uploaded the past day as late, buffered batches.
        var from = Publishing.Time(DateTimeOffset.UtcNow.AddDays(-2));
        // The upload arrives in chunks of 500 readings, so wait for most of the day to be in.
        var history = await WaitForAsync(async () =>
        {
            var json = await ward.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patients[0]}/readings?vital=respiratory-rate&resolution=1h&from={from}", TestContext.Current.CancellationToken);
            return json.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()) >= 20 * 60 ? json : (JsonElement?)null;
        });
        Assert.True(history.GetProperty("buckets").GetArrayLength() >= 20, "readings spread over the past day");
    }

    [Fact]
    public async Task Demo_SepsisPatient_RaisesTheReadmesFirstAlertsWithinMinutes()
    {
        var credentials = await WaitForCredentialsAsync();
        // The first patient of the plan has the sepsis script; the README's table gives both alerts 2 minutes.
        var patient = credentials.GetProperty("devices")[0].GetProperty("patientId").GetString()!;
        using var ward = await SignInClinicianAsync(credentials);

        string[] expected = ["threshold:blood-pressure.systolic:low", "threshold:body-temperature:high"];
        await Eventually.TrueAsync(async () =>
        {
            var alerts = await ward.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?patientId={patient}&state=all", TestContext.Current.CancellationToken);
            var conditions = alerts.EnumerateArray().Select(a => a.GetProperty("condition").GetString()).ToHashSet();
            return expected.All(conditions.Contains);
        }, "the sepsis patient's low systolic pressure and high temperature alerts", TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task Demo_SpotCheckDevices_AreReportedOfflineOnlyAfterTheirModelsReportingInterval()
    {
        var credentials = await WaitForCredentialsAsync();
        var watcher = server.Services.GetRequiredService<DeviceOfflineWatcher>();
        var devices = credentials.GetProperty("devices").EnumerateArray()
            .Select(d => (Id: d.GetProperty("id").GetString()!, Model: d.GetProperty("model").GetString()!)).ToList();

        // A scale once a day, so a day and a half; devices that hold their connection after the quarter of an hour.
        Assert.Contains(devices, d => d.Model == DeviceCatalogue.Model(DeviceKind.Scale));
        Assert.All(devices, d => Assert.Equal(
            DeviceCatalogue.KindOf(d.Model) switch
            {
                DeviceKind.Scale => TimeSpan.FromHours(36),
                DeviceKind.GlucoseMeter => TimeSpan.FromHours(13.5),
                DeviceKind.BloodPressureCuff or DeviceKind.Thermometer => TimeSpan.FromHours(18),
                _ => TimeSpan.FromMinutes(15),
            },
            watcher.OfflineAfter(d.Id)));
    }

    private async Task<HttpClient> SignInClinicianAsync(JsonElement credentials)
    {
        var clinician = credentials.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("role").GetString() == "clinician");
        var tokens = await PersonSignIn.SignInAsync(server, clinician.GetProperty("userName").GetString()!, clinician.GetProperty("password").GetString()!);
        return server.WithToken(tokens.AccessToken);
    }

    private async Task<JsonElement> WaitForCredentialsAsync()
    {
        var path = Path.Combine(server.DataDirectory, "demo-credentials.json");
        return await WaitForAsync(async () =>
            File.Exists(path) ? JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement : (JsonElement?)null);
    }

    private static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> probe) =>
        (await Eventually.MatchAsync(probe, found => found is not null, "the demo ward", Patience))!.Value;
}
