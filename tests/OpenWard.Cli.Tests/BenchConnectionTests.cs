using MQTTnet.Protocol;
using OpenWard.Cli.Api;
using OpenWard.Cli.Bench;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

/// <summary>The benchmark's own MQTT 5 connection, against the real server's broker.</summary>
public sealed class BenchConnectionTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task AWrongSecret_IsRefusedWithTheBrokersReasonCode()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new OpenWardApi(server.BaseAddress, ClientCredentials.Resolve(server.DataDirectory));
        var device = (await BenchWard.ProvisionAsync(api, 1, "wrong-secret", new Progress<int>(), ct))[0];

        var refused = await Assert.ThrowsAsync<BenchConnectionException>(() => BenchConnection.ConnectAsync(
            "127.0.0.1", server.MqttPort, device.Id, device.Id, "not-the-secret", $"devices/{device.Id}/readings", ct));

        Assert.Contains("0x86", refused.Message, StringComparison.Ordinal); // bad user name or password
    }

    [Fact]
    public async Task APublishToAnotherDevicesTopic_GetsTheRefusalInItsPubAck()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new OpenWardApi(server.BaseAddress, ClientCredentials.Resolve(server.DataDirectory));
        var device = (await BenchWard.ProvisionAsync(api, 1, "other-topic", new Progress<int>(), ct))[0];
        await using var connection = await BenchConnection.ConnectAsync(
            "127.0.0.1", server.MqttPort, device.Id, device.Id, device.Secret, "devices/someone-else/readings", ct);

        var reason = await connection.PublishAsync("""[{"vital":"heart-rate","time":"2026-11-23T10:00:00Z","value":70,"unit":"/min"}]"""u8.ToArray(), atLeastOnce: true, ct);

        Assert.Equal((byte)MqttPubAckReasonCode.NotAuthorized, reason);
    }

    [Fact]
    public async Task ARunWithAWarmUp_CountsOnlyTheMeasuredPart_ButVerifiesEverything()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new OpenWardApi(server.BaseAddress, ClientCredentials.Resolve(server.DataDirectory));
        var devices = await BenchWard.ProvisionAsync(api, 2, "warm", new Progress<int>(), ct);
        var benchmark = new IngestBenchmark(new IngestLoad
        {
            Devices = 2,
            MessagesPerDevicePerSecond = 10,
            ReadingsPerMessage = 3,
            Qos = MqttQualityOfServiceLevel.AtMostOnce,
            Duration = TimeSpan.FromSeconds(1),
            Warmup = TimeSpan.FromSeconds(1),
            MqttHost = "127.0.0.1",
            MqttPort = server.MqttPort,
        });

        var report = await benchmark.RunAsync(devices, onPublishingStarted: null, ct);

        var sent = benchmark.AcknowledgedByDevice.Values.Sum();
        Assert.Equal(0, report.MessagesRefused);
        Assert.InRange(report.ReadingsAcknowledged, 1, sent - 1);
        Assert.Equal(report.ReadingsAcknowledged, report.MessagesAcknowledged * 3);

        // QoS 0 has no acknowledgement to wait for: the store catches up shortly after.
        await using var reader = await BenchReader.CreateAsync(api, "warm", ct);
        IReadOnlyDictionary<string, long> found = new Dictionary<string, long>();
        for (var attempt = 0; attempt < 50 && found.Values.Sum() < sent; attempt++)
        {
            await Task.Delay(100, ct);
            found = await BenchWard.CountStoredAsync(reader.Api, devices, ct);
        }

        Assert.Equal(0, IngestVerification.Lost(devices.Select(d => d.Id), benchmark.AcknowledgedByDevice, found));
    }
}
