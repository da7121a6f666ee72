using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class GattIngestTests(RunningServer server) : IClassFixture<RunningServer>
{
    private static async Task<MqttClientPublishResult> PublishBytesAsync(IMqttClient client, string topic, byte[] value) =>
        await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(value)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task BloodPressureCharacteristic_PublishedByAGateway_IsStoredWithItsOwnTime()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var gateway = await server.ConnectDeviceAsync(deviceId, secret);
        // Flags: timestamp + pulse; 128/82 mean 97 mmHg at 2026-11-20 08:30:00, pulse 70.
        byte[] value = [0x06, 0x80, 0x00, 0x52, 0x00, 0x61, 0x00, 0xEA, 0x07, 11, 20, 8, 30, 0, 0x46, 0x00];

        var result = await PublishBytesAsync(gateway, $"devices/{deviceId}/gatt/2a35", value);

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        var latest = (await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray().ToDictionary(r => r.GetProperty("vital").GetString()!);
        Assert.Equal(128, latest["blood-pressure"].GetProperty("components").GetProperty("systolic").GetDouble());
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero), latest["blood-pressure"].GetProperty("time").GetDateTimeOffset());
        Assert.Equal(70, latest["heart-rate"].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task TruncatedCharacteristic_IsRefusedAndDeadLetteredInHex()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var gateway = await server.ConnectDeviceAsync(deviceId, secret);

        var result = await PublishBytesAsync(gateway, $"devices/{deviceId}/gatt/0x2A35", [0x02, 0x80, 0x00]);

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        Assert.Equal("characteristic value is shorter than its flags say", result.ReasonString);
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Equal("characteristic value is shorter than its flags say", letter.GetProperty("reason").GetString());
        Assert.Equal("gatt 0x2A35: 028000", letter.GetProperty("raw").GetString());
    }

    [Fact]
    public async Task HeartRateCharacteristic_PostedOverHttp_IsAcceptedWithNotes()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{deviceId}:{secret}")));
        using var body = new ByteArrayContent([0x16, 64, 0x00, 0x04]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await http.PostAsync($"/api/v1/devices/{deviceId}/gatt/2a37", body, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(1, receipt.GetProperty("stored").GetInt32());
        Assert.Contains("1 RR intervals are not stored", receipt.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        var latest = Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
        Assert.Equal(64, latest.GetProperty("value").GetDouble());
    }
}
