using MQTTnet.Protocol;
using OpenWard.Cli.Api;
using OpenWard.Cli.Bench;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

/// <summary>
/// The ingest benchmark spread over two "nodes" — the real server's MQTT listener, and a relay to it
/// that is cut mid-run as a lost node would be: the cut-off devices reconnect to the other, publish
/// again what went unacknowledged, and the store holds everything acknowledged.
/// </summary>
public sealed class BenchFailoverTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task ANodeLostMidRun_ItsDevicesPublishAgainThroughTheOther_AndNothingAcknowledgedIsLost()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new OpenWardApi(server.BaseAddress, ClientCredentials.Resolve(server.DataDirectory));
        var devices = await BenchWard.ProvisionAsync(api, 4, "failover", new Progress<int>(), ct);
        await using var node = new TcpRelay(server.MqttPort);
        var benchmark = new IngestBenchmark(new IngestLoad
        {
            Devices = 4,
            MessagesPerDevicePerSecond = 20,
            ReadingsPerMessage = 1,
            Qos = MqttQualityOfServiceLevel.AtLeastOnce,
            Duration = TimeSpan.FromSeconds(3),
            MqttHost = "127.0.0.1",
            MqttPort = server.MqttPort,
            Nodes = [new BenchEndpoint("127.0.0.1", server.MqttPort), new BenchEndpoint("127.0.0.1", node.Port)],
        });
        Task? loss = null;

        var report = await benchmark.RunAsync(devices, () =>
        {
            loss = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                node.Cut();
                benchmark.NodeLost();
            }, ct);
            return Task.CompletedTask;
        }, ct);
        await loss!;

        // Devices 1 and 3 were on the relay.
        Assert.Equal(0, report.MessagesRefused);
        Assert.NotNull(report.Failover);
        Assert.Equal(2, report.Failover.DevicesCutOff);
        Assert.Equal(2, report.Failover.DevicesBack);
        Assert.True(report.Failover.LossToAcknowledgedMs.Max > 0);
        await using var reader = await BenchReader.CreateAsync(api, "failover", ct);
        var found = await BenchWard.CountStoredAsync(reader.Api, devices, ct);
        Assert.Equal(0, IngestVerification.Lost(devices.Select(d => d.Id), benchmark.AcknowledgedByDevice, found));
        Assert.All(devices, d => Assert.True(benchmark.AcknowledgedByDevice[d.Id] > 20, $"{d.Id} went on publishing"));
    }

    [Fact]
    public async Task WhatTheOneServerDependsOnLostAndBack_DevicesReconnectToItAndGoOn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new OpenWardApi(server.BaseAddress, ClientCredentials.Resolve(server.DataDirectory));
        var devices = await BenchWard.ProvisionAsync(api, 2, "reconnect", new Progress<int>(), ct);
        // The relay stands for the path to the server: cut, then back, as a failover behind one address.
        await using var path = new TcpRelay(server.MqttPort);
        var benchmark = new IngestBenchmark(new IngestLoad
        {
            Devices = 2,
            MessagesPerDevicePerSecond = 20,
            ReadingsPerMessage = 1,
            Qos = MqttQualityOfServiceLevel.AtLeastOnce,
            Duration = TimeSpan.FromSeconds(3),
            MqttHost = "127.0.0.1",
            MqttPort = path.Port,
            Reconnects = true,
        });
        Task? loss = null;

        var report = await benchmark.RunAsync(devices, () =>
        {
            loss = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                path.Cut();
                benchmark.NodeLost();
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                path.Restore();
            }, ct);
            return Task.CompletedTask;
        }, ct);
        await loss!;

        Assert.Equal(0, report.MessagesRefused);
        Assert.Equal(new FailoverReport(2, 2, report.Failover!.LossToAcknowledgedMs), report.Failover);
        await using var reader = await BenchReader.CreateAsync(api, "reconnect", ct);
        var found = await BenchWard.CountStoredAsync(reader.Api, devices, ct);
        Assert.Equal(0, IngestVerification.Lost(devices.Select(d => d.Id), benchmark.AcknowledgedByDevice, found));
    }
}
