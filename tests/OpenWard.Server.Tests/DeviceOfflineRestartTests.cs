using System.Text.Json;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>"Device offline" across a restart of the server: connections are not kept, what they meant is.</summary>
public sealed class DeviceOfflineRestartTests(AlertingServer server) : IClassFixture<AlertingServer>
{
    [Fact]
    public async Task ADeviceConnectedBeforeARestart_ThatDoesNotComeBack_IsReportedOffline()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        // The restart closes the device's connection, and it does not reconnect.
        await server.RestartAsync();

        var offline = await WaitForOfflineAlertAsync(patientId, deviceId, "active");
        Assert.StartsWith($"Device {deviceId} offline for", offline.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeviceReportedOfflineBeforeARestart_ResolvesItsAlert_WhenItConnectsAfterIt()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            await device.DisconnectAsync(cancellationToken: TestContext.Current.CancellationToken);
        }

        await WaitForOfflineAlertAsync(patientId, deviceId, "active");
        await server.RestartAsync();
        using var back = await server.ConnectDeviceAsync(deviceId, secret);

        var resolved = await WaitForOfflineAlertAsync(patientId, deviceId, "resolved");
        Assert.Equal("openward", resolved.GetProperty("resolvedBy").GetString());
    }

    private async Task<JsonElement> WaitForOfflineAlertAsync(string patientId, string deviceId, string state)
    {
        var alerts = await Eventually.MatchAsync(() => server.GetJsonAsync($"/api/v1/alerts?state=all&patientId={patientId}"),
            all => all.EnumerateArray().Any(a => IsOfflineAlert(a, deviceId, state)), $"a {state} device-offline alert for the patient");
        return alerts.EnumerateArray().First(a => IsOfflineAlert(a, deviceId, state));
    }

    private static bool IsOfflineAlert(JsonElement alert, string deviceId, string state) =>
        alert.GetProperty("condition").GetString() == $"device-offline:{deviceId}"
        && (state == "resolved") == (alert.GetProperty("state").GetString() == "resolved");
}
