using MQTTnet;
using OpenWard.Server.Tests.Fixtures;

namespace OpenWard.Server.Tests;

public sealed class RestartTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Restart_KeepsEveryAcknowledgedReadingAndDeviceCredentials()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        var start = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            for (var message = 0; message < 20; message++)
            {
                var readings = Enumerable.Range(0, 10).Select(i => Publishing.HeartRate(start.AddSeconds(message * 10 + i), 70));
                var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", "[" + string.Join(',', readings) + "]");
                Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
            }
        }

        var bootstrap = await server.ReadBootstrapCredentialsAsync();
        await server.RestartAsync();

        Assert.Equal(bootstrap, await server.ReadBootstrapCredentialsAsync());
        var page = await server.GetJsonAsync($"/api/v1/patients/{patientId}/readings?vital=heart-rate&resolution=1d");
        Assert.Equal(200, Assert.Single(page.GetProperty("buckets").EnumerateArray()).GetProperty("count").GetInt64());
        using var again = await server.ConnectDeviceAsync(deviceId, secret);
        Assert.True(again.IsConnected);
    }
}
