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

    [Fact]
    public async Task Restart_RemembersWhenEachDeviceWasLastSeen_AndItsBattery()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        var taken = DateTimeOffset.UtcNow.AddMinutes(-1);
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            var battery = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{"vital":"device-battery","time":"{{Publishing.Time(taken)}}","value":64,"unit":"%"}""");
            var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(taken, 72)},{battery}]");
            Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        }

        // The battery charge reaches the fleet list once the readings are delivered to monitoring, just after the commit.
        var before = await StatusAsync(deviceId);
        for (var attempt = 0; attempt < 100 && before.GetProperty("batteryPercent").ValueKind == System.Text.Json.JsonValueKind.Null; attempt++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            before = await StatusAsync(deviceId);
        }

        Assert.Equal(64, before.GetProperty("batteryPercent").GetDouble());
        await server.RestartAsync();

        var after = await StatusAsync(deviceId);
        Assert.False(after.GetProperty("connected").GetBoolean());
        Assert.Equal(before.GetProperty("lastSeenAt").GetDateTimeOffset(), after.GetProperty("lastSeenAt").GetDateTimeOffset());
        Assert.Equal(64, after.GetProperty("batteryPercent").GetDouble());
    }

    private async Task<System.Text.Json.JsonElement> StatusAsync(string deviceId) =>
        (await server.GetJsonAsync("/api/v1/device-status")).EnumerateArray().Single(d => d.GetProperty("id").GetString() == deviceId);
}
