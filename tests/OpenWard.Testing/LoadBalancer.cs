using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace OpenWard.Testing;

/// <summary>
/// Debian's HAProxy (<c>apt-get install haproxy</c>) run with the shipped configuration
/// (<see cref="LoadBalancerConfiguration"/>) in front of cluster nodes, on free loopback ports, in the
/// foreground as a child of the test, with its own folder for its log and stats socket. Its frontend
/// ports are chosen when it is made, so that nodes can be told the balancer's address before it starts.
/// Without HAProxy the test is skipped, or fails under <see cref="MissingComponent.RequireAllVariable"/>.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    /// <summary>Where Debian installs HAProxy.</summary>
    public const string HaproxyPath = "/usr/sbin/haproxy";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly int[] ports = FreePorts.Take(4);
    private readonly string runDirectory = Path.Combine(Path.GetTempPath(), "openward-haproxy-" + Guid.NewGuid().ToString("N"));
    private Process? process;
    private ProcessLog? log;

    /// <summary>A balancer not started yet, its ports chosen; skips the test when HAProxy is not installed.</summary>
    public LoadBalancer()
    {
        if (!File.Exists(HaproxyPath))
        {
            MissingComponent.Stop($"HAProxy is not installed at {HaproxyPath} (apt-get install haproxy); the load balancer test needs it.");
        }

        Directory.CreateDirectory(runDirectory);
    }

    /// <summary>The HTTPS frontend (443 in the shipped file), TLS passed through to the nodes.</summary>
    public Uri HttpsAddress => new($"https://127.0.0.1:{ports[0]}");

    /// <summary>The MQTT-over-TLS frontend (8883 in the shipped file).</summary>
    public int MqttTlsPort => ports[1];

    /// <summary>The HL7-over-MLLP-with-TLS frontend (2576 in the shipped file).</summary>
    public int MllpTlsPort => ports[2];

    /// <summary>The plain MQTT frontend (1883 in the shipped file, loopback).</summary>
    public int MqttPort => ports[3];

    /// <summary>Renders the shipped configuration for <paramref name="nodes"/>, starts HAProxy and waits until its frontends answer.</summary>
    public async Task StartAsync(IReadOnlyList<ClusterNode> nodes)
    {
        var frontends = new Dictionary<int, int> { [443] = ports[0], [8883] = MqttTlsPort, [2576] = MllpTlsPort, [1883] = MqttPort };
        var backends = nodes.Select(node => (IReadOnlyDictionary<int, int>)new Dictionary<int, int>
        {
            [5443] = node.HttpsPort, [8883] = node.MqttTlsPort, [2576] = node.MllpTlsPort, [1883] = node.MqttPort,
        }).ToList();
        var configuration = Path.Combine(runDirectory, "openward.cfg");
        var shipped = await File.ReadAllTextAsync(LoadBalancerConfiguration.ShippedPath, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(configuration, LoadBalancerConfiguration.Render(shipped, frontends, backends, runDirectory), TestContext.Current.CancellationToken);

        // -db: in the foreground, one process, no daemon: the test owns it and ends it.
        var start = new ProcessStartInfo(HaproxyPath) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = runDirectory };
        foreach (var argument in new[] { "-db", "-f", configuration })
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("haproxy did not start");
        log = new ProcessLog(process, Path.Combine(runDirectory, "haproxy.log"));

        var deadline = DateTimeOffset.UtcNow + Limit;
        while (!(File.Exists(LoadBalancerConfiguration.StatsSocket(runDirectory)) && await LoopbackPort.AnswersAsync(ports[0])))
        {
            if (process.HasExited || DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"haproxy did not start: {LastLines()}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// The balancer's view of <paramref name="backend"/>'s servers (<c>node1</c>, <c>node2</c> …): each
    /// one's status (<c>UP</c>, <c>DOWN</c> …) and how many connections it holds now, from its stats socket.
    /// </summary>
    public async Task<Dictionary<string, (string Status, int Connections)>> ServersAsync(string backend)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = new CancellationTokenSource(Limit);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(LoadBalancerConfiguration.StatsSocket(runDirectory)), timeout.Token);
        await socket.SendAsync("show stat\n"u8.ToArray(), timeout.Token);
        var answer = new StringBuilder();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
        {
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        // CSV under a "# pxname,svname,…" header; the frontend and backend rows are not servers.
        var lines = answer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimStart('#', ' ').Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        return lines.Skip(1)
            .Select(line => line.Split(','))
            .Where(fields => fields[Column("pxname")] == backend && fields[Column("svname")] is not ("FRONTEND" or "BACKEND"))
            .ToDictionary(fields => fields[Column("svname")], fields => (fields[Column("status")], int.Parse(fields[Column("scur")], System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The end of HAProxy's log (its connection log and warnings), for a failure message.</summary>
    public string LastLines() => log?.LastLines() ?? "(not started)";

    /// <summary>Stops HAProxy (it holds nothing that needs a clean stop) and removes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(Limit);
                await process.WaitForExitAsync(timeout.Token);
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The log may still be open; the temp directory is cleaned by the OS.
        }
    }
}
