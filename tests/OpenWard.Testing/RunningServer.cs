using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using OpenWard.Server;

namespace OpenWard.Testing;

/// <summary>
/// The real OpenWard server, started in-process on free loopback ports with its own temporary data
/// directory: Kestrel, the MQTT broker, the Orleans silo and a SQLite file. Tests talk to it only
/// through its network interfaces.
/// </summary>
public class RunningServer : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private int[] ports = FreePorts.Take(8);
    private WebApplication? app;

    /// <summary>Arguments a derived fixture adds to the server's command line.</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    /// <summary>
    /// Services a derived fixture adds after the server's own, replacing them where it registers the
    /// same (such as a clock the test moves, given to one part of the server).
    /// </summary>
    protected virtual void AddServices(IServiceCollection services)
    {
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "openward-test-" + Guid.NewGuid().ToString("N"));

    public int HttpPort => ports[0];

    public int MqttPort => ports[1];

    public int MqttTlsPort => ports[2];

    public int MllpPort => ports[6];

    /// <summary>HL7 over MLLP with TLS: senders present the client certificate registered for them.</summary>
    public int MllpTlsPort => ports[7];

    /// <summary>The registered HL7 sender (for <see cref="TestWardId"/>) that speaks on the plain loopback MLLP port.</summary>
    public const string LoopbackHl7Sender = "test-interface-engine";

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>The running server's services (for reading its route table, never for bypassing its interfaces).</summary>
    public IServiceProvider Services => app!.Services;

    /// <summary>The HTTPS listener (self-signed certificate generated into the data directory).</summary>
    public Uri HttpsAddress => new($"https://127.0.0.1:{ports[5]}");

    /// <summary>An HTTP client signed in as the bootstrap administrator (fleet, people and teams; no clinical data).</summary>
    public HttpClient Admin { get; private set; } = new();

    /// <summary>The care team every patient added by <c>AddPatientAsync</c> joins unless told otherwise.</summary>
    public string TestWardId { get; private set; } = "";

    /// <summary>An HTTP client signed in (authorization code flow) as a clinician on <see cref="TestWardId"/>.</summary>
    public HttpClient Clinician { get; private set; } = new();

    /// <summary>The clinician's access token, for hub connections.</summary>
    public string ClinicianToken { get; private set; } = "";

    /// <summary>Every log message the server wrote, for scanning.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>A password good enough for test accounts.</summary>
    public const string TestPassword = "correct horse battery staple";

    public virtual async ValueTask InitializeAsync()
    {
        // Another process may still take a port between the check and the bind: try fresh ones.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync();
                break;
            }
            catch (IOException e) when (attempt < 5 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await StopAsync();
                ports = FreePorts.Take(8);
            }
        }

        Admin = await SignInAsync(await ReadBootstrapCredentialsAsync());
        TestWardId = await AddCareTeamAsync("Test ward");
        using (var sender = await Admin.PostAsJsonAsync("/api/v1/hl7-senders", new { name = LoopbackHl7Sender, careTeams = new[] { TestWardId } }))
        {
            sender.EnsureSuccessStatusCode();
        }

        var clinician = await AddUserAsync("clinician", careTeamId: TestWardId);
        ClinicianToken = (await PersonSignIn.SignInAsync(this, clinician.UserName, TestPassword)).AccessToken;
        Clinician = WithToken(ClinicianToken);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await StopAsync();
        Admin.Dispose();
        Clinician.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection; the temp directory is cleaned by the OS.
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        app = await Program.BuildAsync(
        [
            "--urls", $"{BaseAddress};{HttpsAddress}",
            $"--OpenWard:DataDirectory={DataDirectory}",
            $"--OpenWard:Mqtt:Port={MqttPort}",
            $"--OpenWard:Mqtt:TlsPort={MqttTlsPort}",
            "--OpenWard:Mqtt:TlsBindAddress=127.0.0.1",
            $"--OpenWard:Mllp:Port={MllpPort}",
            $"--OpenWard:Mllp:LoopbackSender={LoopbackHl7Sender}",
            $"--OpenWard:Mllp:TlsPort={MllpTlsPort}",
            "--OpenWard:Mllp:TlsBindAddress=127.0.0.1",
            $"--OpenWard:Orleans:SiloPort={ports[3]}",
            $"--OpenWard:Orleans:GatewayPort={ports[4]}",
            $"--OpenWard:SignIn:ConsoleRedirectUris:0={PersonSignIn.RedirectUri(this)}",
            "--Logging:LogLevel:Default=Warning",
            .. ExtraArguments,
        ], cancellation.Token, services =>
        {
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
            AddServices(services);
        });
        await app.StartAsync(cancellation.Token);
    }

    private async Task StopAsync()
    {
        if (app is not null)
        {
            using var cancellation = new CancellationTokenSource(Timeout);
            await app.StopAsync(cancellation.Token);
            await app.DisposeAsync();
            app = null;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    public async Task<(string ClientId, string ClientSecret)> ReadBootstrapCredentialsAsync()
    {
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDirectory, "bootstrap-credentials.json")));
        return (file.RootElement.GetProperty("clientId").GetString()!, file.RootElement.GetProperty("clientSecret").GetString()!);
    }

    /// <summary>An HTTP client carrying a bearer token obtained with the client-credentials grant.</summary>
    public async Task<HttpClient> SignInAsync((string ClientId, string ClientSecret) client)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = Timeout };
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
        }));
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        return WithToken(token.GetProperty("access_token").GetString()!);
    }

    /// <summary>An HTTP client carrying a bearer token.</summary>
    public HttpClient WithToken(string accessToken)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = Timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    public async Task<string> AddCareTeamAsync(string name)
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/care-teams", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>
    /// A user with a unique user name and <see cref="TestPassword"/>, on a care team when given. A patient's
    /// account is confirmed by a clinician of the patient's care team (<paramref name="confirmer"/>, or
    /// <see cref="Clinician"/> for the test ward) unless <paramref name="confirmPatient"/> is false.
    /// </summary>
    public async Task<(string Id, string UserName)> AddUserAsync(
        string role, string? careTeamId = null, string? patientId = null, bool confirmPatient = true, HttpClient? confirmer = null)
    {
        var userName = $"{role}-{Guid.NewGuid():N}"[..20];
        using var response = await Admin.PostAsJsonAsync("/api/v1/users",
            new { userName, displayName = "Test " + role, role, password = TestPassword, patientId });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        if (careTeamId is not null)
        {
            using var member = await Admin.PutAsync($"/api/v1/care-teams/{careTeamId}/members/{id}", null);
            member.EnsureSuccessStatusCode();
        }

        if (patientId is not null && confirmPatient)
        {
            using var confirmed = await (confirmer ?? Clinician).PostAsync($"/api/v1/patients/{patientId}/portal-accounts/{id}/confirm", null);
            confirmed.EnsureSuccessStatusCode();
        }

        return (id, userName);
    }

    /// <summary>An HTTP client signed in as a new user of this role (a patient's account confirmed as in <see cref="AddUserAsync"/>).</summary>
    public async Task<HttpClient> SignInPersonAsync(string role, string? careTeamId = null, string? patientId = null, HttpClient? confirmer = null)
    {
        var user = await AddUserAsync(role, careTeamId, patientId, confirmer: confirmer);
        return WithToken((await PersonSignIn.SignInAsync(this, user.UserName, TestPassword)).AccessToken);
    }

    public async Task<string> AddPatientAsync(string name = "Test Patient") => await AddPatientAsync(name, TestWardId);

    public async Task<string> AddPatientAsync(string name, string? careTeamId)
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/patients", new { name, careTeamId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Registers a device with a unique id and returns the id and its secret.</summary>
    public async Task<(string Id, string Secret)> RegisterDeviceAsync(string prefix = "dev", string model = "Test Oximeter") =>
        await RegisterDeviceWithIdAsync($"{prefix}-{Guid.NewGuid():N}"[..24], model);

    /// <summary>Registers a device with exactly this id and returns the id and its secret.</summary>
    public async Task<(string Id, string Secret)> RegisterDeviceWithIdAsync(string id, string model = "Test Oximeter")
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/devices", new { id, model, serial = "SN-" + id });
        response.EnsureSuccessStatusCode();
        return (id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
    }

    public async Task AssignAsync(string deviceId, string patientId, DateTimeOffset? from = null)
    {
        using var response = await Admin.PostAsJsonAsync($"/api/v1/devices/{deviceId}/assignment", new { patientId, from });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A device registered and assigned to a new patient since 2020.</summary>
    public async Task<(string DeviceId, string Secret, string PatientId)> AssignedDeviceAsync(string model = "Test Oximeter")
    {
        var patient = await AddPatientAsync();
        var (id, secret) = await RegisterDeviceAsync(model: model);
        await AssignAsync(id, patient, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return (id, secret, patient);
    }

    public MqttClientOptionsBuilder MqttOptions(string deviceId, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", MqttPort)
            .WithClientId(deviceId)
            .WithCredentials(deviceId, secret)
            .WithProtocolVersion(version)
            .WithTimeout(Timeout);

    /// <summary>A real MQTT client connected as the device.</summary>
    public async Task<IMqttClient> ConnectDeviceAsync(string deviceId, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        using var cancellation = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(MqttOptions(deviceId, secret, version).Build(), cancellation.Token);
        return client;
    }

    /// <summary>The id of the patient's first alert, once one is raised (at most 30 s).</summary>
    public async Task<string> WaitForAlertAsync(string patientId)
    {
        var alerts = await Eventually.MatchAsync(() => GetJsonAsync($"/api/v1/alerts?patientId={patientId}"),
            all => all.GetArrayLength() > 0, "an alert for the patient");
        return alerts[0].GetProperty("id").GetString()!;
    }

    /// <summary>GET as the administrator for fleet paths, as the test ward's clinician for everything about patients.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var clinical = path.StartsWith("/api/v1/patients/", StringComparison.Ordinal) || path.StartsWith("/api/v1/alerts", StringComparison.Ordinal);
        using var response = await (clinical ? Clinician : Admin).GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
