using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>On its own server, which allows five device connections a minute from one address.</summary>
public sealed class DeviceAddressRateTests(DeviceAddressRateTests.FiveConnectionsAMinute server) : IClassFixture<DeviceAddressRateTests.FiveConnectionsAMinute>
{
    public sealed class FiveConnectionsAMinute : RunningServer
    {
        protected override IEnumerable<string> ExtraArguments => ["--OpenWard:Devices:RequestsPerAddressPerMinute=5"];
    }

    [Fact]
    public async Task ConnectionsFromOneAddress_BeyondItsRate_AreRefused_WhateverTheCredentials()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        var results = new List<MqttClientConnectResultCode>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            results.Add((await client.ConnectAsync(server.MqttOptions(deviceId, secret).Build(), TestContext.Current.CancellationToken)).ResultCode);
            if (client.IsConnected)
            {
                await client.DisconnectAsync(cancellationToken: TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(Enumerable.Repeat(MqttClientConnectResultCode.Success, 5), results.Take(5));
        Assert.Equal(MqttClientConnectResultCode.ConnectionRateExceeded, results[5]);
    }
}
