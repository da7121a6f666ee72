using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

public sealed class DeadLettersCommandTests(RunningServer server) : IClassFixture<RunningServer>
{
    private Task<CliProcess.Outcome> Openward(params string[] args) =>
        CliProcess.RunAsync([.. args, "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory]);

    [Fact]
    public async Task DeadLetters_ForOneDevice_ListEachRefusalWithItsReason_AndDevicesStatusCountsRefusedTopics()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        var (otherId, _) = await server.RegisterDeviceAsync();
        using (var device = await server.ConnectDeviceAsync(deviceId, secret, MQTTnet.Formatter.MqttProtocolVersion.V311))
        {
            await device.PublishReadingsAsync($"devices/{deviceId}/readings",
                $$"""[{"vital":"heart-rate","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-5))}}","value":71,"unit":"bpm"}]""");
            await device.PublishReadingsAsync($"devices/{otherId}/readings", "[]");
        }

        var listed = await Openward("dead-letters", "--device", deviceId);

        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.Contains($"{deviceId} over mqtt, on devices/{otherId}/readings", listed.Output, StringComparison.Ordinal);
        Assert.Contains("not this device's", listed.Output, StringComparison.Ordinal);
        Assert.Contains("sent: (not kept)", listed.Output, StringComparison.Ordinal);
        Assert.Contains($"{deviceId} over mqtt, reading 0", listed.Output, StringComparison.Ordinal);
        Assert.Contains("bpm", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(otherId + " over", listed.Output, StringComparison.Ordinal);

        var json = await Openward("dead-letters", "--device", deviceId, "--json");
        Assert.Equal(2, json.Json.GetProperty("items").GetArrayLength());

        var status = await Openward("devices", "status");
        Assert.Equal(0, status.ExitCode);
        var row = status.Output.Split('\n').Single(line => line.StartsWith(deviceId + " ", StringComparison.Ordinal));
        Assert.EndsWith(" 1", row.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("REFUSED TOPICS", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLetters_WithAPageLimit_SaysHowToSeeMore()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            await device.PublishReadingsAsync($"devices/{deviceId}/readings", "first, not json");
            await device.PublishReadingsAsync($"devices/{deviceId}/readings", "second, not json");
        }

        var first = await Openward("dead-letters", "--device", deviceId, "--limit", "1");

        Assert.Contains("second, not json", first.Output, StringComparison.Ordinal);
        var more = first.Output.Split('\n').Single(line => line.StartsWith("more: ", StringComparison.Ordinal))["more: openward ".Length..].Trim().Split(' ');
        var rest = await Openward(more);
        Assert.Contains("first, not json", rest.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("second, not json", rest.Output, StringComparison.Ordinal);
    }
}
