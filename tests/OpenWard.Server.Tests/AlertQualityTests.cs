using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// Alert quality for a care team: alerts raised over MQTT, some labelled by the clinician who resolved
/// them, some left open or cleared by OpenWard, counted per rule — and nothing of another team's.
/// </summary>
public sealed class AlertQualityTests(AlertingServer server) : IClassFixture<AlertingServer>
{
    private static string Event(string vital, double value, string unit) =>
        $$"""[{"vital":"{{vital}}","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1))}}","value":{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"unit":"{{unit}}"}]""";

    private static Func<JsonElement, bool> AlertOf(string patientId, string condition, string state = "raised") =>
        a => a.GetProperty("patientId").GetString() == patientId && a.GetProperty("condition").GetString() == condition && a.GetProperty("state").GetString() == state;

    [Fact]
    public async Task Quality_CountsEachRulesAlertsAndLabels_ForTheCallersTeamOnly()
    {
        var team = await server.AddCareTeamAsync("Quality ward " + Guid.NewGuid().ToString("N")[..6]);
        var otherTeam = await server.AddCareTeamAsync("Other ward " + Guid.NewGuid().ToString("N")[..6]);
        var (_, userName) = await server.AddUserAsync("clinician", team);
        var token = (await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword)).AccessToken;
        using var clinician = server.WithToken(token);
        await using var console = await AlertListener.ConnectAsync(server, token);
        var first = await server.AddPatientAsync("First Patient", team);
        var second = await server.AddPatientAsync("Second Patient", team);
        var elsewhere = await server.AddPatientAsync("Other Team's Patient", otherTeam);
        using var firstDevice = await DeviceOfAsync(first);
        using var secondDevice = await DeviceOfAsync(second);
        using var otherDevice = await DeviceOfAsync(elsewhere);

        // Two help-button presses, one judged actionable and one not; a fall left open; two devices' low
        // batteries (one rule, "device-battery", not one per device); a low glucose that cleared by itself.
        await PublishAsync(firstDevice, Event("emergency-call", 1, "{event}"));
        await PublishAsync(secondDevice, Event("emergency-call", 1, "{event}"));
        await PublishAsync(firstDevice, Event("fall", 1, "{event}"));
        await PublishAsync(firstDevice, Event("device-battery", 10, "%"));
        await PublishAsync(secondDevice, Event("device-battery", 12, "%"));
        await PublishAsync(secondDevice, Event("blood-glucose", 50, "mg/dL"));
        await PublishAsync(otherDevice, Event("emergency-call", 1, "{event}"));
        var call = await console.WaitForAsync(AlertOf(first, "emergency:emergency-call"));
        var otherCall = await console.WaitForAsync(AlertOf(second, "emergency:emergency-call"));
        await console.WaitForAsync(AlertOf(second, "threshold:blood-glucose:low"));
        await PublishAsync(secondDevice, Event("blood-glucose", 110, "mg/dL"));
        await console.WaitForAsync(AlertOf(second, "threshold:blood-glucose:low", "resolved"));
        await ResolveAsync(clinician, call, actionable: true);
        await ResolveAsync(clinician, otherCall, actionable: false);
        await WaitForOpenAlertsAsync(clinician, 3); // the fall and both batteries

        var quality = await clinician.GetFromJsonAsync<JsonElement>("/api/v1/alerts/quality", TestContext.Current.CancellationToken);

        Assert.Equal((2, 7.0, 14.0), (quality.GetProperty("patients").GetInt32(), Math.Round(quality.GetProperty("days").GetDouble(), 6), Math.Round(quality.GetProperty("patientDays").GetDouble(), 6)));
        var rules = quality.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!);
        Assert.Equal(["device-battery", "emergency:emergency-call", "emergency:fall", "threshold:blood-glucose:low"], rules.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("Emergency call (help button)", 2, 1, 1, 0, 0.5), Figures(rules["emergency:emergency-call"]));
        Assert.Equal(("Device battery low", 2, 0, 0, 2, null), Figures(rules["device-battery"]));
        Assert.Equal(("Fall detected", 1, 0, 0, 1, null), Figures(rules["emergency:fall"]));
        Assert.Equal(("Blood glucose low", 1, 0, 0, 1, null), Figures(rules["threshold:blood-glucose:low"]));
        Assert.Equal(2 / 14.0, rules["device-battery"].GetProperty("perPatientDay").GetDouble(), 6);
        Assert.Equal(JsonValueKind.Null, rules["emergency:fall"].GetProperty("ppv").ValueKind);
        var total = quality.GetProperty("total");
        Assert.Equal(("All rules", 6, 1, 1, 4, 0.5), Figures(total));
        Assert.Equal(6 / 14.0, total.GetProperty("perPatientDay").GetDouble(), 6);

        // A period after all of them: nothing raised, nothing to judge, the same patients.
        var later = DateTimeOffset.UtcNow.AddMinutes(1);
        var empty = await clinician.GetFromJsonAsync<JsonElement>(
            $"/api/v1/alerts/quality?from={Uri.EscapeDataString(Publishing.Time(later))}&to={Uri.EscapeDataString(Publishing.Time(later.AddDays(1)))}",
            TestContext.Current.CancellationToken);
        Assert.Equal((0, 2, 0, JsonValueKind.Null), (empty.GetProperty("rules").GetArrayLength(), empty.GetProperty("patients").GetInt32(),
            empty.GetProperty("total").GetProperty("raised").GetInt32(), empty.GetProperty("total").GetProperty("ppv").ValueKind));
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from")]
    [InlineData("from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z", "from")]
    [InlineData("from=2025-01-01T00:00:00Z&to=2026-12-01T00:00:00Z", "from")]
    [InlineData("to=2026-13-01", "to")]
    public async Task Quality_ForABadPeriod_IsRefusedWithTheReason(string query, string field)
    {
        using var response = await server.Clinician.GetAsync($"/api/v1/alerts/quality?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.NotEmpty(problem.GetProperty("errors").GetProperty(field)[0].GetString()!);
    }

    [Fact]
    public async Task Quality_ForAnAdministrator_IsRefusedWithTheReason_AndTheRequestIsAudited()
    {
        using var refused = await server.Admin.GetAsync("/api/v1/alerts/quality", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains("no clinical relationship", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var audit = await server.GetJsonAsync("/fhir/AuditEvent?_count=100");
        Assert.Contains("GET /api/v1/alerts/quality", audit.ToString(), StringComparison.Ordinal);
    }

    private static (string?, int, int, int, int, double?) Figures(JsonElement row) => (
        row.GetProperty("name").GetString(), row.GetProperty("raised").GetInt32(), row.GetProperty("actionable").GetInt32(),
        row.GetProperty("notActionable").GetInt32(), row.GetProperty("unlabelled").GetInt32(),
        row.GetProperty("ppv").ValueKind == JsonValueKind.Null ? null : row.GetProperty("ppv").GetDouble());

    // The devices stay connected until the test ends, so that no "device offline" alert joins the counts.
    private async Task<Device> DeviceOfAsync(string patientId)
    {
        var (id, secret) = await server.RegisterDeviceAsync();
        await server.AssignAsync(id, patientId, DateTimeOffset.UtcNow.AddDays(-1));
        return new Device(id, await server.ConnectDeviceAsync(id, secret));
    }

    private static async Task PublishAsync(Device device, string payload) =>
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, (await device.Client.PublishReadingsAsync($"devices/{device.Id}/readings", payload)).ReasonCode);

    private static async Task ResolveAsync(HttpClient clinician, JsonElement alert, bool actionable)
    {
        using var response = await clinician.PostAsJsonAsync($"/api/v1/alerts/{alert.GetProperty("id").GetString()}/resolve",
            new { note = "seen and dealt with", actionable }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // The fall and the batteries are raised in the order their readings were committed; wait (at most 30 s) until all are stored.
    private static Task WaitForOpenAlertsAsync(HttpClient clinician, int count) =>
        Eventually.TrueAsync(async () => (await clinician.GetFromJsonAsync<JsonElement>("/api/v1/alerts?state=active", TestContext.Current.CancellationToken)).GetArrayLength() >= count,
            $"{count} open alerts");

    private sealed record Device(string Id, MQTTnet.IMqttClient Client) : IDisposable
    {
        public void Dispose() => Client.Dispose();
    }
}
