using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// Devices hear why a message was refused on <c>devices/{id}/refusals</c> — on MQTT 3.1.1, which has no
/// reason codes, as on 5 — and a publish on another device's topic leaves a trace: a dead letter
/// without its payload, and a count in the device's status.
/// </summary>
public sealed class DeviceRefusalsTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Mqtt311_RefusedReading_IsToldOnTheRefusalsTopic_BeforeItsPubAck()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using var socket = await RawSockets.ConnectAsync(server.MqttPort);
        var stream = socket.GetStream();
        await stream.WriteAsync(RawMqtt.Connect(deviceId, deviceId, secret), TestContext.Current.CancellationToken);
        Assert.Equal(2, (await RawMqtt.ReadPacketAsync(stream)).Type); // CONNACK
        await stream.WriteAsync(RawMqtt.Subscribe(1, $"devices/{deviceId}/refusals", 1), TestContext.Current.CancellationToken);
        var subAck = await RawMqtt.ReadPacketAsync(stream);
        Assert.Equal(9, subAck.Type);
        Assert.Equal(1, subAck.Body[^1]); // granted QoS 1

        var time = DateTimeOffset.UtcNow.AddSeconds(-5);
        await stream.WriteAsync(RawMqtt.Publish($"devices/{deviceId}/readings", 7,
            $$"""[{{Publishing.HeartRate(time, 70)}},{"vital":"heart-rate","time":"{{Publishing.Time(time.AddSeconds(1))}}","value":71,"unit":"bpm"}]"""),
            TestContext.Current.CancellationToken);

        // The refusal comes first, then the PUBACK of the message it speaks of.
        var told = await RawMqtt.ReadPacketAsync(stream);
        Assert.Equal(3, told.Type);
        var (topic, packetId, payload) = RawMqtt.ReadPublish(told.Flags, told.Body);
        Assert.Equal($"devices/{deviceId}/refusals", topic);
        await stream.WriteAsync(RawMqtt.PubAck(packetId!.Value), TestContext.Current.CancellationToken);
        var pubAck = await RawMqtt.ReadPacketAsync(stream);
        Assert.Equal(4, pubAck.Type);
        Assert.Equal(7, (pubAck.Body[0] << 8) | pubAck.Body[1]);

        var refusal = JsonDocument.Parse(payload).RootElement;
        Assert.Equal($"devices/{deviceId}/readings", refusal.GetProperty("topic").GetString());
        Assert.StartsWith("stored 1, duplicates 0, refused 1", refusal.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var item = Assert.Single(refusal.GetProperty("items").EnumerateArray());
        Assert.Equal(1, item.GetProperty("item").GetInt32());
        Assert.Contains("bpm", item.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(refusal.TryGetProperty("receivedAt", out _));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task PayloadThatIsNotJson_IsToldWithItsReason(MqttProtocolVersion version)
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret, version);
        var heard = await ListenAsync(device, deviceId);

        var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", "[{\"vital\":");

        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        }

        var refusal = await Eventually.MatchAsync(() => Task.FromResult(heard.ToArray()), h => h.Length > 0, "the refusal on the device's refusals topic");
        var told = JsonDocument.Parse(Assert.Single(refusal)).RootElement;
        Assert.Contains("not valid JSON", told.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(told.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task DeviceNotListening_HearsNothing_AndIsStillAnswered()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret, MqttProtocolVersion.V311);
        var heard = new ConcurrentQueue<string>();
        device.ApplicationMessageReceivedAsync += e =>
        {
            heard.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };

        await device.PublishReadingsAsync($"devices/{deviceId}/readings", "not json");
        var after = await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddSeconds(-3), 66)}]");

        Assert.Equal(MqttClientPublishReasonCode.Success, after.ReasonCode);
        Assert.Empty(heard);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task PublishOnAnotherDevicesTopic_IsToldDeadLetteredWithoutPayload_AndCountedInTheDeviceStatus(MqttProtocolVersion version)
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        var (victimId, _, victimPatient) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret, version);
        var heard = await ListenAsync(device, deviceId);
        var marker = "marker-" + Guid.NewGuid().ToString("N");

        for (var i = 0; i < 2; i++)
        {
            var result = await device.PublishReadingsAsync($"devices/{victimId}/readings", $$"""[{"vital":"heart-rate","value":80,"unit":"/min","note":"{{marker}}"}]""");
            if (version == MqttProtocolVersion.V500)
            {
                Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
            }
        }

        var refusals = await Eventually.MatchAsync(() => Task.FromResult(heard.ToArray()), h => h.Length == 2, "both refusals on the device's refusals topic");
        var told = JsonDocument.Parse(refusals[0]).RootElement;
        Assert.Equal($"devices/{victimId}/readings", told.GetProperty("topic").GetString());
        Assert.Contains("not this device's", told.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{victimPatient}/latest")).EnumerateArray());

        var deadLetters = await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}");
        Assert.Equal(2, deadLetters.GetProperty("items").GetArrayLength());
        foreach (var letter in deadLetters.GetProperty("items").EnumerateArray())
        {
            Assert.Equal($"devices/{victimId}/readings", letter.GetProperty("refusedTopic").GetString());
            Assert.Equal("", letter.GetProperty("raw").GetString());
        }

        Assert.DoesNotContain(marker, deadLetters.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(server.Logs.Messages, m => m.Contains(marker, StringComparison.Ordinal));
        Assert.Contains(server.Logs.Messages, m => m.Contains("another device's topic", StringComparison.Ordinal));

        var status = (await server.GetJsonAsync("/api/v1/device-status")).EnumerateArray().ToList();
        Assert.Equal(2, status.Single(d => d.GetProperty("id").GetString() == deviceId).GetProperty("refusedTopics").GetInt64());
        Assert.Equal(0, status.Single(d => d.GetProperty("id").GetString() == victimId).GetProperty("refusedTopics").GetInt64());
    }

    [Fact]
    public async Task Unsubscribed_HearsNoMoreRefusals()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var heard = await ListenAsync(device, deviceId);
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", "not json");
        await Eventually.MatchAsync(() => Task.FromResult(heard.Count), n => n == 1, "the first refusal");

        await device.UnsubscribeAsync($"devices/{deviceId}/refusals", TestContext.Current.CancellationToken);
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", "still not json");
        // A message on a topic the device does listen to would arrive after the refusal, had one been sent: here the PUBACK is the marker.
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddSeconds(-2), 61)}]");

        Assert.Single(heard);
    }

    private static async Task<ConcurrentQueue<string>> ListenAsync(IMqttClient device, string deviceId)
    {
        var heard = new ConcurrentQueue<string>();
        device.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == $"devices/{deviceId}/refusals")
            {
                heard.Enqueue(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            }

            return Task.CompletedTask;
        };
        var subscribed = await device.SubscribeAsync($"devices/{deviceId}/refusals", MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        Assert.True(Assert.Single(subscribed.Items).ResultCode is MqttClientSubscribeResultCode.GrantedQoS1);
        return heard;
    }
}
