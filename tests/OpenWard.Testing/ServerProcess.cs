using System.Diagnostics;
using System.Text.Json;

namespace OpenWard.Testing;

/// <summary>
/// The server as an operator runs it: a process of its own (the server built beside the tests, run with
/// <c>dotnet</c>) on the SQLite store in its own data directory, every listener on a free loopback port —
/// HTTP, HTTPS, MQTT, MQTT over TLS, MLLP and MLLP over TLS — logging to the console as it does for an
/// operator, into <c>server.log</c> in its data directory. <see cref="Terminate"/> stops it as a service
/// manager does (SIGTERM).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>The HL7 sender the plain MLLP port speaks for (not registered: its messages are refused).</summary>
    public const string LoopbackSender = "loopback-engine";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private readonly int[] ports = FreePorts.Take(8);
    private readonly Process process;
    private readonly ProcessLog log;

    private ServerProcess()
    {
        DataDirectory = StartedProcess.NewDataDirectory("process");
        var start = StartedProcess.Server(DataDirectory,
        [
            "--urls", $"http://127.0.0.1:{HttpPort};https://127.0.0.1:{HttpsPort}",
            $"--OpenWard:Mqtt:Port={MqttPort}",
            $"--OpenWard:Mqtt:TlsPort={MqttTlsPort}",
            "--OpenWard:Mqtt:TlsBindAddress=127.0.0.1",
            $"--OpenWard:Mllp:Port={MllpPort}",
            $"--OpenWard:Mllp:LoopbackSender={LoopbackSender}",
            $"--OpenWard:Mllp:TlsPort={MllpTlsPort}",
            "--OpenWard:Mllp:TlsBindAddress=127.0.0.1",
            $"--OpenWard:Orleans:SiloPort={ports[6]}",
            $"--OpenWard:Orleans:GatewayPort={ports[7]}",
        ]);

        process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        log = new ProcessLog(process, Path.Combine(DataDirectory, "server.log"));
    }

    /// <summary>The server's data directory (its databases, certificate, bootstrap credentials and log).</summary>
    public string DataDirectory { get; }

    /// <summary>The plain HTTP port (the API, loopback).</summary>
    public int HttpPort => ports[0];

    /// <summary>The HTTPS port.</summary>
    public int HttpsPort => ports[1];

    /// <summary>The plain MQTT port.</summary>
    public int MqttPort => ports[2];

    /// <summary>The MQTT-over-TLS port.</summary>
    public int MqttTlsPort => ports[3];

    /// <summary>The plain MLLP port, speaking for <see cref="LoopbackSender"/>.</summary>
    public int MllpPort => ports[4];

    /// <summary>The MLLP-over-TLS port.</summary>
    public int MllpTlsPort => ports[5];

    /// <summary>The server's HTTP address.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>Starts the server and waits until its HTTP, MQTT and MLLP listeners answer.</summary>
    public static async Task<ServerProcess> StartAsync()
    {
        var server = new ServerProcess();
        var deadline = DateTimeOffset.UtcNow + StartLimit;
        while (!(await LoopbackPort.AnswersAsync(server.HttpPort) && await LoopbackPort.AnswersAsync(server.MqttPort)
            && await LoopbackPort.AnswersAsync(server.MllpPort)))
        {
            if (server.process.HasExited || DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"the server did not start: {server.log.LastLines()}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        return server;
    }

    /// <summary>Everything the server has logged so far.</summary>
    public string LogText() => log.Text();

    /// <summary>The bootstrap administrator client the server wrote on its first start.</summary>
    public async Task<(string ClientId, string ClientSecret)> ReadBootstrapCredentialsAsync()
    {
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDirectory, "bootstrap-credentials.json")));
        return (file.RootElement.GetProperty("clientId").GetString()!, file.RootElement.GetProperty("clientSecret").GetString()!);
    }

    /// <summary>Asks the server to stop, as systemd or <c>docker stop</c> does: SIGTERM.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits until the process has ended, at most <paramref name="limit"/>; its exit code, or null if it is still running.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => StartedProcess.EndAsync(process, DataDirectory);
}
