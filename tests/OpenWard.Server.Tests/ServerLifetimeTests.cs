using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// The server started and stopped as an operator does it: its own process, its console log, SIGTERM.
/// The start-up says where it listens (each listener with its own scheme) and where the bootstrap
/// credentials are; the stop closes device connections first and ends gracefully, well inside the
/// host's shutdown time.
/// </summary>
public sealed class ServerLifetimeTests
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StartUp_LogsEveryListenerWithItsSchemeAndWhereTheBootstrapCredentialsAre()
    {
        await using var server = await ServerProcess.StartAsync();

        string[] listeners =
        [
            $"http://127.0.0.1:{server.HttpPort}", $"https://127.0.0.1:{server.HttpsPort}",
            $"mqtt://127.0.0.1:{server.MqttPort}", $"mqtts://127.0.0.1:{server.MqttTlsPort}",
            $"mllp://127.0.0.1:{server.MllpPort}", $"mllps://127.0.0.1:{server.MllpTlsPort}",
        ];
        var log = await Eventually.MatchAsync(() => Task.FromResult(server.LogText()),
            text => listeners.All(listener => text.Contains(listener, StringComparison.Ordinal)), "the start-up report of every listener");

        // The MQTT and MLLP listeners are not called http:// (as the host's own "Now listening on" lines did).
        foreach (var port in new[] { server.MqttPort, server.MqttTlsPort, server.MllpPort, server.MllpTlsPort })
        {
            Assert.DoesNotContain($"http://127.0.0.1:{port}", log, StringComparison.Ordinal);
            Assert.DoesNotContain($"https://127.0.0.1:{port}", log, StringComparison.Ordinal);
        }

        var credentials = Path.Combine(server.DataDirectory, "bootstrap-credentials.json");
        Assert.Contains($"Bootstrap administrator API client written to {credentials}", log, StringComparison.Ordinal);
        var (clientId, clientSecret) = await server.ReadBootstrapCredentialsAsync();
        Assert.DoesNotContain(clientSecret, log, StringComparison.Ordinal);
        Assert.DoesNotContain(clientId, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_ClosesDeviceConnectionsFirstAndStopsGracefully()
    {
        await using var server = await ServerProcess.StartAsync();
        var (clientId, clientSecret) = await server.ReadBootstrapCredentialsAsync();
        using var admin = await ClusterNode.SignInAtAsync(server.BaseAddress, clientId, clientSecret);
        using var registered = await admin.PostAsJsonAsync("/api/v1/devices", new { id = "oxi-lifetime", model = "Test Oximeter", serial = "SN-1" },
            TestContext.Current.CancellationToken);
        registered.EnsureSuccessStatusCode();
        var secret = (await registered.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("secret").GetString()!;

        // A device on MQTT 5, which hears why it is disconnected, and an HL7 sender idle between messages.
        using var device = new MqttClientFactory().CreateMqttClient();
        var disconnected = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        device.DisconnectedAsync += e =>
        {
            disconnected.TrySetResult(e);
            return Task.CompletedTask;
        };
        var connected = await device.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", server.MqttPort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("oxi-lifetime")
            .WithCredentials("oxi-lifetime", secret)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build(), TestContext.Current.CancellationToken);
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        using var sender = new TcpClient();
        await sender.ConnectAsync("127.0.0.1", server.MllpPort, TestContext.Current.CancellationToken);

        server.Terminate();

        var exitCode = await server.WaitForExitAsync(StopLimit);
        var log = server.LogText();
        Assert.True(exitCode is not null, $"the server had not stopped {StopLimit.TotalSeconds} s after SIGTERM:\n{log}");
        Assert.Equal(0, exitCode);
        Assert.Contains("OpenWard stopped gracefully", log, StringComparison.Ordinal);
        Assert.DoesNotContain("non-graceful", log, StringComparison.Ordinal);
        Assert.DoesNotContain("shutdown time ran out", log, StringComparison.Ordinal);
        Assert.Contains("1 MQTT device connections closed", log, StringComparison.Ordinal);
        Assert.Contains("MLLP connection closed between messages: the server is stopping", log, StringComparison.Ordinal);
        // The first start logs no watchdog warning (Orleans' watchdog read an unstamped time as the machine's uptime).
        Assert.DoesNotContain("Participant check thread", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Orleans.Runtime.Watchdog", log, StringComparison.Ordinal);
        // Nor a warning that the host overrides the --urls it was given (the listeners are bound in code, from them).
        Assert.DoesNotContain("Overriding address", log, StringComparison.Ordinal);

        var disconnect = await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(MqttClientDisconnectReason.ServerShuttingDown, disconnect.Reason);
        var buffer = new byte[16];
        Assert.Equal(0, await sender.GetStream().ReadAsync(buffer, TestContext.Current.CancellationToken));
    }
}
