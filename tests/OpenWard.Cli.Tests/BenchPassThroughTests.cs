using System.Diagnostics;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

/// <summary>The side-by-side run's other half: the same load against Debian's Mosquitto, passed through to a subscriber.</summary>
public sealed class BenchPassThroughTests : IDisposable
{
    private const string MosquittoPath = "/usr/sbin/mosquitto";
    private const string SubscriberPath = "/usr/bin/mosquitto_sub";
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("openward-mosquitto-");
    private Process? mosquitto;

    [Fact]
    public async Task AgainstMosquitto_EveryAcceptedReadingIsDelivered_AndTheDeliveredRateIsReported()
    {
        if (!File.Exists(MosquittoPath) || !File.Exists(SubscriberPath))
        {
            MissingComponent.Stop($"Mosquitto is not installed ({MosquittoPath}, {SubscriberPath}: apt-get install mosquitto mosquitto-clients); this test needs it.");
        }

        var port = FreePorts.Take(1)[0];
        var config = Path.Combine(directory.FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n", TestContext.Current.CancellationToken);
        mosquitto = Process.Start(new ProcessStartInfo(MosquittoPath, ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await ListeningAsync(port);

        var run = await CliProcess.RunAsync("bench", "ingest", "--broker", "mosquitto", "--mqtt-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--devices", "4", "--rate", "20", "--batch", "5", "--duration", "2", "--warmup", "1");

        Assert.True(run.ExitCode == 0, run.Error);
        var report = run.Json;
        Assert.Equal("mosquitto", report.GetProperty("broker").GetString());
        Assert.Equal(0, report.GetProperty("readingsLost").GetInt64());
        Assert.Equal(0, report.GetProperty("readingsVerifiedStored").GetInt64() % 5);
        // 4 devices × 20 messages a second: what the subscriber received in the window is of that order.
        Assert.InRange(report.GetProperty("messagesDeliveredPerSecond").GetDouble(), 40, 120);
    }

    private static async Task ListeningAsync(int port)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port, TestContext.Current.CancellationToken);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }

        Assert.Fail($"Mosquitto did not listen on port {port}.");
    }

    public void Dispose()
    {
        if (mosquitto is { HasExited: false })
        {
            mosquitto.Kill();
            mosquitto.WaitForExit();
        }

        mosquitto?.Dispose();
        directory.Delete(recursive: true);
    }
}
