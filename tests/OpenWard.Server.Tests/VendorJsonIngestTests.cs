using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>Devices that send their own JSON, read through their model's mapping templates.</summary>
public sealed class VendorJsonIngestTests(RunningServer server) : IClassFixture<RunningServer>
{
    private static readonly JsonElement ScaleMapping = JsonDocument.Parse("""
        {"templateType": "CollectionContent", "template": [
          {"templateType": "CalculatedContent", "template": {
            "typeName": "weight", "typeMatchExpression": "$..[?(@weightLb)]",
            "deviceIdExpression": "$.SystemProperties.iothub-connection-device-id",
            "timestampExpression": {"value": "fromUnixTimestampMs(matchedToken.takenMs)", "language": "JmesPath"},
            "values": [{"valueName": "lb", "required": true, "valueExpression": "$.matchedToken.weightLb"}]}},
          {"templateType": "IotJsonPathContent", "template": {
            "typeName": "bp", "typeMatchExpression": "$..[?(@Body.sys && @Body.dia)]",
            "values": [{"valueName": "sys", "required": true, "valueExpression": "$.Body.sys"},
                       {"valueName": "dia", "required": true, "valueExpression": "$.Body.dia"}]}}]}
        """).RootElement;

    private static readonly JsonElement ScaleFhirMapping = JsonDocument.Parse("""
        {"templateType": "CollectionFhir", "template": [
          {"templateType": "CodeValueFhir", "template": {"typeName": "weight",
            "codes": [{"code": "29463-7", "system": "http://loinc.org", "display": "Body weight"}],
            "value": {"valueName": "lb", "valueType": "Quantity", "unit": "[lb_av]"}}},
          {"templateType": "CodeValueFhir", "template": {"typeName": "bp",
            "codes": [{"code": "85354-9", "system": "http://loinc.org"}],
            "components": [
              {"codes": [{"code": "8480-6", "system": "http://loinc.org"}], "value": {"valueName": "sys", "valueType": "Quantity", "unit": "mmHg"}},
              {"codes": [{"code": "8462-4", "system": "http://loinc.org"}], "value": {"valueName": "dia", "valueType": "Quantity", "unit": "mmHg"}}]}}]}
        """).RootElement;

    [Fact]
    public async Task VendorMessage_OverMqtt_IsStoredThroughTheModelsTemplates_AndItsBadPartDeadLettered()
    {
        var model = await SetScaleMappingAsync();
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync(model);
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        var result = await device.PublishReadingsAsync($"devices/{deviceId}/messages",
            """{"readings": [{"takenMs": 1795420800000, "weightLb": 154.3}, {"weightLb": 155}]}""");

        // One of two stored: acknowledged with the reason for the other.
        Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, result.ReasonCode);
        var latest = Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
        Assert.Equal("body-weight", latest.GetProperty("vital").GetString());
        Assert.Equal(69.99, latest.GetProperty("value").GetDouble(), 2);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), latest.GetProperty("time").GetDateTimeOffset());
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Contains("weight: no timestamp", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("155", letter.GetProperty("raw").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IotHubShapedTemplate_TakesTheAuthenticatedDeviceAndArrivalTime_OverHttp()
    {
        var model = await SetScaleMappingAsync();
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync(model);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{deviceId}:{secret}")));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var response = await http.PostAsync($"/api/v1/devices/{deviceId}/messages",
            new StringContent("""{"sys": 128, "dia": 82}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var latest = Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
        Assert.Equal(128, latest.GetProperty("components").GetProperty("systolic").GetDouble());
        Assert.True(latest.GetProperty("time").GetDateTimeOffset() >= before);
    }

    [Fact]
    public async Task TemplatesWithErrors_AreRefusedWithEveryErrorAndItsLine()
    {
        using var response = await server.Admin.PutAsJsonAsync("/api/v1/device-models/Broken%20Scale/mapping", new
        {
            deviceMapping = JsonDocument.Parse("""{"templateType": "CollectionContent", "template": [{"templateType": "JsonPathContent", "template": {"typeName": "w"}}]}""").RootElement,
            fhirMapping = JsonDocument.Parse("""{"templateType": "CollectionFhir", "template": [{"templateType": "CodeValueFhir", "template": {"typeName": "w", "codes": [{"code": "29463-7"}], "value": {"valueName": "w", "valueType": "Quantity", "unit": "mmHg"}}}]}""").RootElement,
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        var deviceErrors = errors.GetProperty("deviceMapping").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(3, deviceErrors.Count); // typeMatchExpression, deviceIdExpression, timestampExpression
        Assert.All(deviceErrors, e => Assert.StartsWith("line 1, position", e, StringComparison.Ordinal));
        Assert.Contains("is not a unit of body weight", Assert.Single(errors.GetProperty("fhirMapping").EnumerateArray()).GetString(), StringComparison.Ordinal);
        using var stored = await server.Admin.GetAsync("/api/v1/device-models/Broken%20Scale/mapping", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
    }

    [Fact]
    public async Task DeviceWhoseModelHasNoMapping_IsRefusedAndDeadLettered()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync(model: "Unmapped Gadget");
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        var result = await device.PublishReadingsAsync($"devices/{deviceId}/messages", """{"pulse": 70}""");

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Contains("has no mapping template", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredMapping_SurvivesARestart()
    {
        var model = await SetScaleMappingAsync();
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync(model);

        await server.RestartAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var result = await device.PublishReadingsAsync($"devices/{deviceId}/messages", """{"takenMs": 1795420800000, "weightLb": 150}""");

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
        var stored = await server.GetJsonAsync($"/api/v1/device-models/{Uri.EscapeDataString(model)}/mapping");
        Assert.Equal("CollectionContent", stored.GetProperty("deviceMapping").GetProperty("templateType").GetString());
    }

    private async Task<string> SetScaleMappingAsync()
    {
        var model = "Scale " + Guid.NewGuid().ToString("N")[..8];
        using var response = await server.Admin.PutAsJsonAsync($"/api/v1/device-models/{Uri.EscapeDataString(model)}/mapping",
            new { deviceMapping = ScaleMapping, fhirMapping = ScaleFhirMapping }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("body-weight", summary.GetProperty("types").GetProperty("weight").GetString());
        return model;
    }
}
