using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;

namespace OpenWard.Testing;

/// <summary>
/// One OpenWard node as its own process (the server built beside the tests, run with <c>dotnet</c>), on
/// free loopback ports, with its own data directory, joined to a cluster on a shared PostgreSQL database.
/// <see cref="Kill"/> ends it as a crash would (SIGKILL). Its output goes to <c>node.log</c> in its data directory.
/// Its TLS listeners (HTTPS, MQTT over TLS, HL7 over MLLP with TLS) are off unless it is started with
/// <see cref="StartWithTlsAsync"/>, as nodes behind a load balancer are.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private readonly int[] ports = FreePorts.Take(7);
    private readonly Process process;
    private readonly ProcessLog log;

    private ClusterNode(string name, PostgreSqlDatabase database, string keyEncryptionKey, string? certificatePath, IEnumerable<string> settings)
    {
        Name = name;
        DataDirectory = StartedProcess.NewDataDirectory($"node-{name}");
        var start = StartedProcess.Server(DataDirectory,
        [
            $"--OpenWard:Mqtt:Port={MqttPort}",
            "--OpenWard:Mllp:Port=0",
            .. certificatePath is null ? Plain() : WithTls(certificatePath),
            $"--OpenWard:Orleans:SiloPort={ports[2]}",
            $"--OpenWard:Orleans:GatewayPort={ports[3]}",
            "--OpenWard:Orleans:AdvertisedAddress=127.0.0.1",
            "--OpenWard:Store:Provider=postgresql",
            $"--OpenWard:Store:ConnectionString={database.ConnectionString}",
            "--OpenWard:Cluster:Enabled=true",
            // Silo traffic under mutual TLS, with a certificate from the test clusters' authority (settings given may replace it).
            .. SiloCertificates.Cluster.IssueFor(name, DataDirectory),
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ]);

        // The key-encryption key reaches the node as a secret store would hand it: in its environment.
        start.Environment["OpenWard__Encryption__KeyEncryptionKey"] = keyEncryptionKey;
        process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        log = new ProcessLog(process, Path.Combine(DataDirectory, "node.log"));
    }

    /// <summary>The node's name in the test (a, b, c …).</summary>
    public string Name { get; }

    /// <summary>The node's own data directory (its bootstrap credentials, if it was the first, and its log).</summary>
    public string DataDirectory { get; }

    /// <summary>The node's HTTP address.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{ports[0]}");

    /// <summary>The node's MQTT port (plain, loopback).</summary>
    public int MqttPort => ports[1];

    /// <summary>The node's HTTPS port, when started with TLS.</summary>
    public int HttpsPort => ports[4];

    /// <summary>The node's MQTT-over-TLS port, when started with TLS.</summary>
    public int MqttTlsPort => ports[5];

    /// <summary>The node's HL7-over-MLLP-with-TLS port, when started with TLS.</summary>
    public int MllpTlsPort => ports[6];

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Starts a node, with further <paramref name="settings"/> (<c>--Key=value</c>), and waits until its HTTP and MQTT listeners answer.</summary>
    public static Task<ClusterNode> StartAsync(string name, PostgreSqlDatabase database, string keyEncryptionKey, params string[] settings) =>
        WaitUntilUpAsync(new ClusterNode(name, database, keyEncryptionKey, certificatePath: null, settings));

    /// <summary>
    /// Starts a node as <see cref="StartAsync"/> does, with its TLS listeners on too (loopback): HTTPS,
    /// MQTT over TLS and HL7 over MLLP with TLS, all presenting the certificate in the PFX file
    /// <paramref name="certificatePath"/> (no password) — the same on every node behind one balancer.
    /// </summary>
    public static Task<ClusterNode> StartWithTlsAsync(string name, PostgreSqlDatabase database, string keyEncryptionKey, string certificatePath, params string[] settings) =>
        WaitUntilUpAsync(new ClusterNode(name, database, keyEncryptionKey, certificatePath, settings));

    private static async Task<ClusterNode> WaitUntilUpAsync(ClusterNode node)
    {
        var deadline = DateTimeOffset.UtcNow + StartLimit;
        while (!(await LoopbackPort.AnswersAsync(node.ports[0]) && await LoopbackPort.AnswersAsync(node.MqttPort)))
        {
            if (node.HasExited || DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"node {node.Name} did not start: {node.LastLines()}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        return node;
    }

    /// <summary>Starts a node without waiting for it: for one that is expected not to start, or not to join.</summary>
    public static ClusterNode Launch(string name, PostgreSqlDatabase database, string keyEncryptionKey, params string[] settings) =>
        new(name, database, keyEncryptionKey, certificatePath: null, settings);

    /// <summary>Everything the node has logged so far.</summary>
    public string LogText() => log.Text();

    /// <summary>Whether the node's log holds <paramref name="text"/>.</summary>
    public bool Logged(string text) => log.Text().Contains(text, StringComparison.Ordinal);

    /// <summary>Ends the node at once, as a crash would: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>An HTTP client on this node carrying a token this node issued for the client's credentials.</summary>
    public Task<HttpClient> SignInAsync(string clientId, string clientSecret) => SignInAtAsync(BaseAddress, clientId, clientSecret);

    /// <summary>
    /// An HTTP client on <paramref name="address"/> (a node, or a load balancer in front of nodes) carrying a
    /// token issued there for the client's credentials. Over HTTPS it trusts the nodes' test certificate unchecked.
    /// </summary>
    public static async Task<HttpClient> SignInAtAsync(Uri address, string clientId, string clientSecret)
    {
        using var http = new HttpClient(TrustingHandler()) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        }));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        var client = new HttpClient(TrustingHandler()) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A real MQTT client connected to this node as the device; fails if the node refuses it.</summary>
    public async Task<IMqttClient> ConnectDeviceAsync(string deviceId, string secret)
    {
        var (client, result) = await TryConnectDeviceAsync(deviceId, secret);
        if (result != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            Assert.Fail($"node {Name} refused device {deviceId}: {result}");
        }

        return client;
    }

    /// <summary>
    /// A real MQTT client that tried to connect to this node as the device, with the node's answer; from the
    /// loopback address <paramref name="localAddress"/> (any of 127.0.0.0/8) if given.
    /// </summary>
    public async Task<(IMqttClient Client, MqttClientConnectResultCode Result)> TryConnectDeviceAsync(string deviceId, string secret, string? localAddress = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", MqttPort)
            .WithClientId(deviceId)
            .WithCredentials(deviceId, secret)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build();
        if (localAddress is not null)
        {
            ((MqttClientTcpOptions)options.ChannelOptions).LocalEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Parse(localAddress), 0);
        }

        var result = await client.ConnectAsync(options, TestContext.Current.CancellationToken);
        return (client, result.ResultCode);
    }

    /// <summary>The end of the node's log, for a failure message.</summary>
    public string LastLines() => log.LastLines();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => StartedProcess.EndAsync(process, DataDirectory);

    private string[] Plain() => ["--urls", BaseAddress.ToString(), "--OpenWard:Mqtt:TlsPort=0"];

    private string[] WithTls(string certificatePath) =>
    [
        "--urls", $"{BaseAddress};https://127.0.0.1:{HttpsPort}",
        $"--OpenWard:Tls:CertificatePath={certificatePath}",
        $"--OpenWard:Mqtt:TlsPort={MqttTlsPort}",
        "--OpenWard:Mqtt:TlsBindAddress=127.0.0.1",
        $"--OpenWard:Mllp:TlsPort={MllpTlsPort}",
        "--OpenWard:Mllp:TlsBindAddress=127.0.0.1",
    ];

    private static HttpClientHandler TrustingHandler() => new() { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
}
