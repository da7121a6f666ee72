using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>Alerts end to end: a reading over MQTT, the alert on a real SignalR client, the API, escalation and auto-resolution.</summary>
public sealed class AlertingTests(AlertingServer server) : IClassFixture<AlertingServer>
{
    private static string Reading(string vital, double value, string unit) =>
        $$"""[{"vital":"{{vital}}","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1))}}","value":{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"unit":"{{unit}}"}]""";

    private static bool IsTemperature(JsonElement alert) => alert.GetProperty("condition").GetString() == "threshold:body-temperature:high";

    private static bool IsGlucoseLow(JsonElement alert) => alert.GetProperty("condition").GetString() == "threshold:blood-glucose:low";

    private static Func<JsonElement, bool> AlertOf(string patientId, string condition) =>
        a => a.GetProperty("patientId").GetString() == patientId && a.GetProperty("condition").GetString() == condition;

    private async Task<(string DeviceId, string PatientId)> PublishAsync(string vital, double value, string unit)
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", Reading(vital, value, unit));
        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        return (deviceId, patientId);
    }

    [Fact]
    public async Task CriticalReading_ReachesTheConsole_AndStopsEscalatingOnceAcknowledged()
    {
        await using var console = await AlertListener.ConnectAsync(server);
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using (var oximeter = await server.ConnectDeviceAsync(deviceId, secret))
        {
            // Six minutes of a wearable's once-a-minute saturation at 80 %, uploaded together: a critical
            // value that has lasted the five-minute critical persistence, not a probe-off dip.
            var now = DateTimeOffset.UtcNow;
            await oximeter.PublishReadingsAsync($"devices/{deviceId}/readings", "[" + string.Join(",", Enumerable.Range(0, 7).Select(m =>
                $$"""{"vital":"spo2","time":"{{Publishing.Time(now.AddMinutes(-6 + m))}}","value":80,"unit":"%"}""")) + "]");
        }

        var raised = await console.WaitForAsync(AlertOf(patientId, "threshold:spo2:low"));

        Assert.Equal(("critical", "raised", 0), (raised.GetProperty("severity").GetString(), raised.GetProperty("state").GetString(), raised.GetProperty("escalationTier").GetInt32()));
        Assert.Equal("Oxygen saturation (SpO2) 80 % below 86 % for 5 min", raised.GetProperty("summary").GetString());
        var alertId = raised.GetProperty("id").GetString()!;

        using var acknowledged = await server.Clinician.PostAsJsonAsync($"/api/v1/alerts/{alertId}/acknowledge", new { note = "calling the patient" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        await console.WaitForAsync(a => AlertOf(patientId, "threshold:spo2:low")(a) && a.GetProperty("state").GetString() == "acknowledged");

        // Another patient's critical alert, left alone, escalates through both tiers meanwhile…
        var (_, other) = await PublishAsync("blood-glucose", 45, "mg/dL");
        var top = await console.WaitForAsync(a => AlertOf(other, "threshold:blood-glucose:low")(a) && a.GetProperty("escalationTier").GetInt32() == 2);
        Assert.Equal("on-call physician", top.GetProperty("escalatedTo").GetString());

        // …while the acknowledged one never escalated.
        var history = await server.GetJsonAsync($"/api/v1/alerts/{alertId}");
        Assert.Equal("acknowledged", history.GetProperty("state").GetString());
        Assert.Equal(0, history.GetProperty("escalationTier").GetInt32());
        Assert.Equal(["raised", "acknowledged"], history.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("calling the patient", history.GetProperty("events")[1].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Alert_ResolvesByItself_AfterTheHoldOff_WhenValuesRecover()
    {
        await using var console = await AlertListener.ConnectAsync(server);
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        await device.PublishReadingsAsync($"devices/{deviceId}/readings", Reading("blood-glucose", 50, "mg/dL"));
        await console.WaitForAsync(AlertOf(patientId, "threshold:blood-glucose:low"));
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", Reading("blood-glucose", 110, "mg/dL"));

        var resolved = await console.WaitForAsync(a => AlertOf(patientId, "threshold:blood-glucose:low")(a) && a.GetProperty("state").GetString() == "resolved");
        Assert.Equal("openward", resolved.GetProperty("resolvedBy").GetString());
        // Nobody judged it: it stays unlabelled.
        Assert.False(resolved.TryGetProperty("actionable", out _));
    }

    [Fact]
    public async Task ClinicianResolution_NeedsANoteAndALabel_AndIsRecordedWithBoth()
    {
        await using var console = await AlertListener.ConnectAsync(server);
        var (_, patientId) = await PublishAsync("body-temperature", 40.2, "Cel");
        var alertId = (await console.WaitForAsync(AlertOf(patientId, "threshold:body-temperature:high"))).GetProperty("id").GetString()!;

        using var withoutNote = await server.Clinician.PostAsJsonAsync($"/api/v1/alerts/{alertId}/resolve", new { note = "", actionable = false }, TestContext.Current.CancellationToken);
        using var withoutLabel = await server.Clinician.PostAsJsonAsync($"/api/v1/alerts/{alertId}/resolve", new { note = "thermometer misread" }, TestContext.Current.CancellationToken);
        using var comment = await server.Clinician.PostAsJsonAsync($"/api/v1/alerts/{alertId}/comments", new { text = "paracetamol given" }, TestContext.Current.CancellationToken);
        using var resolve = await server.Clinician.PostAsJsonAsync($"/api/v1/alerts/{alertId}/resolve",
            new { note = "thermometer misread; repeat 37.1", actionable = false }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, withoutNote.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutLabel.StatusCode);
        var refusal = await withoutLabel.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains("actionable", refusal.GetProperty("errors").GetProperty("actionable")[0].GetString(), StringComparison.Ordinal);
        Assert.False(refusal.GetProperty("errors").TryGetProperty("note", out _));
        Assert.Equal(HttpStatusCode.OK, comment.StatusCode);
        var alert = await resolve.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("resolved", alert.GetProperty("state").GetString());
        Assert.False(alert.GetProperty("actionable").GetBoolean());
        Assert.Equal(["raised", "commented", "resolved"], alert.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        var resolution = (await server.GetJsonAsync($"/api/v1/alerts/{alertId}")).GetProperty("events")[2];
        Assert.Equal(("thermometer misread; repeat 37.1", false), (resolution.GetProperty("detail").GetString(), resolution.GetProperty("actionable").GetBoolean()));
        Assert.False((await server.GetJsonAsync($"/api/v1/alerts/{alertId}")).GetProperty("events")[1].TryGetProperty("actionable", out _));
        Assert.Contains(
            (await server.GetJsonAsync($"/api/v1/alerts?state=resolved&patientId={patientId}")).EnumerateArray(),
            a => a.GetProperty("id").GetString() == alertId);
        // (The device's own connection comes and goes too: only the temperature alert is looked at.)
        Assert.Single((await server.GetJsonAsync($"/api/v1/alerts?state=all&patientId={patientId}&severity=critical")).EnumerateArray(), IsTemperature);
        Assert.DoesNotContain((await server.GetJsonAsync($"/api/v1/alerts?state=active&patientId={patientId}&severity=warning")).EnumerateArray(), IsTemperature);
        using var unknown = await server.Clinician.GetAsync("/api/v1/alerts?severity=grave", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task PatientThresholds_SetByAClinician_AreUsedAtOnce_AndBadOnesRefused()
    {
        await using var console = await AlertListener.ConnectAsync(server);
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        var settings = new { thresholds = new[] { new { measure = "spo2", criticalLow = 80.0, low = 88.0, hysteresis = 2.0 } }, spO2Scale = "scale2", onOxygen = true };

        using var bad = await server.Clinician.PutAsJsonAsync($"/api/v1/patients/{patientId}/alert-settings",
            new { thresholds = new[] { new { measure = "spo2", criticalLow = 90.0, low = 85.0 } } }, TestContext.Current.CancellationToken);
        using var set = await server.Clinician.PutAsJsonAsync($"/api/v1/patients/{patientId}/alert-settings", settings, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var stored = await server.GetJsonAsync($"/api/v1/patients/{patientId}/alert-settings");
        Assert.Equal("scale2", stored.GetProperty("spO2Scale").GetString());
        Assert.Equal(88, stored.GetProperty("thresholds")[0].GetProperty("low").GetDouble());

        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        // A finger oximeter used now and then: this morning's reading, and one now that is below the patient's own limit.
        var now = DateTimeOffset.UtcNow;
        await device.PublishReadingsAsync($"devices/{deviceId}/readings",
            $$"""[{"vital":"spo2","time":"{{Publishing.Time(now.AddHours(-3))}}","value":93,"unit":"%"},{"vital":"spo2","time":"{{Publishing.Time(now)}}","value":87,"unit":"%"}]""");
        var alert = await console.WaitForAsync(AlertOf(patientId, "threshold:spo2:low"));
        Assert.Equal("warning", alert.GetProperty("severity").GetString());
        Assert.Equal("Oxygen saturation (SpO2) 87 % below 88 %", alert.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task News2_IsScoredFromTheLatestValues_AndKeptInTheHistory()
    {
        await using var console = await AlertListener.ConnectAsync(server);
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var time = Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-5));

        await device.PublishReadingsAsync($"devices/{deviceId}/readings", $$"""
            [{"vital":"respiratory-rate","time":"{{time}}","value":22,"unit":"/min"},
             {"vital":"spo2","time":"{{time}}","value":95,"unit":"%"},
             {"vital":"blood-pressure","time":"{{time}}","components":{"systolic":105,"diastolic":70},"unit":"mm[Hg]"},
             {"vital":"body-temperature","time":"{{time}}","value":38.5,"unit":"Cel"},
             {"vital":"heart-rate","time":"{{time}}","value":115,"unit":"/min"}]
            """);

        var alert = await console.WaitForAsync(AlertOf(patientId, "news2"));
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("NEWS2 7: high clinical risk", alert.GetProperty("summary").GetString());
        var history = (await server.GetJsonAsync($"/api/v1/patients/{patientId}/news2")).EnumerateArray().ToList();
        Assert.Equal(7, history[^1].GetProperty("total").GetInt32());
        Assert.Equal("high", history[^1].GetProperty("response").GetString());
    }

    [Fact]
    public async Task OpenAlert_AndItsEscalation_SurviveARestart()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        await using (var first = await AlertListener.ConnectAsync(server))
        {
            using var device = await server.ConnectDeviceAsync(deviceId, secret);
            await device.PublishReadingsAsync($"devices/{deviceId}/readings", Reading("blood-glucose", 45, "mg/dL"));
            await first.WaitForAsync(AlertOf(patientId, "threshold:blood-glucose:low"));
        }

        var before = Assert.Single((await server.GetJsonAsync($"/api/v1/alerts?patientId={patientId}")).EnumerateArray(), IsGlucoseLow);

        await server.RestartAsync();
        await using var console = await AlertListener.ConnectAsync(server);

        // Escalation goes on from the store after the restart…
        var escalated = await console.WaitForAsync(a => a.GetProperty("id").GetString() == before.GetProperty("id").GetString() && a.GetProperty("escalationTier").GetInt32() == 2);
        Assert.Equal("raised", escalated.GetProperty("state").GetString());

        // …and the patient's rebuilt rules know the alert is open: new evidence does not raise a second one.
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            await device.PublishReadingsAsync($"devices/{deviceId}/readings", Reading("blood-glucose", 40, "mg/dL"));
        }

        // The update reaches the console as the same alert.
        var updated = await console.WaitForAsync(a => AlertOf(patientId, "threshold:blood-glucose:low")(a) && a.GetProperty("summary").GetString()!.Contains("40", StringComparison.Ordinal));
        Assert.Equal(before.GetProperty("id").GetString(), updated.GetProperty("id").GetString());
        var after = Assert.Single((await server.GetJsonAsync($"/api/v1/alerts?patientId={patientId}")).EnumerateArray(), IsGlucoseLow);
        Assert.Equal(before.GetProperty("id").GetString(), after.GetProperty("id").GetString());
    }

    [Fact]
    public async Task FallFromAPendant_RaisesACriticalAlertAtOnce()
    {
        await using var console = await AlertListener.ConnectAsync(server);

        var (_, patientId) = await PublishAsync("fall", 1, "{event}");

        var alert = await console.WaitForAsync(AlertOf(patientId, "emergency:fall"));
        Assert.Equal(("critical", "Fall detected: respond now"), (alert.GetProperty("severity").GetString(), alert.GetProperty("summary").GetString()));
    }

    [Fact]
    public async Task DeviceThatLosesItsConnection_RaisesDeviceOffline_ResolvedWhenItReconnects()
    {
        await using var console = await AlertListener.ConnectAsync(server);
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            await device.DisconnectAsync(cancellationToken: TestContext.Current.CancellationToken);
        }

        var offline = await console.WaitForAsync(AlertOf(patientId, $"device-offline:{deviceId}"));
        Assert.Equal("warning", offline.GetProperty("severity").GetString());
        Assert.StartsWith($"Device {deviceId} offline for", offline.GetProperty("summary").GetString(), StringComparison.Ordinal);

        using var back = await server.ConnectDeviceAsync(deviceId, secret);
        var resolved = await console.WaitForAsync(a => AlertOf(patientId, $"device-offline:{deviceId}")(a) && a.GetProperty("state").GetString() == "resolved");
        Assert.Equal("openward", resolved.GetProperty("resolvedBy").GetString());
    }
}
