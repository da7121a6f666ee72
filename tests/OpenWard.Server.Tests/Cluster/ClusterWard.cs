using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// A ward set up through the first node of a cluster, as its administrator would: the bootstrap
/// administrator signed in, a care team, an integration client (a record system) that reads every
/// patient, and patients each with a pulse oximeter assigned.
/// </summary>
public sealed class ClusterWard : IDisposable
{
    private readonly HttpClient admin;
    private readonly JsonElement bootstrap;
    private readonly JsonElement recordSystem;

    private ClusterWard(HttpClient admin, JsonElement bootstrap, string careTeamId, JsonElement recordSystem)
    {
        this.admin = admin;
        this.bootstrap = bootstrap;
        CareTeamId = careTeamId;
        this.recordSystem = recordSystem;
    }

    /// <summary>The ward's care team.</summary>
    public string CareTeamId { get; }

    /// <summary>Signs in on the first node with the credentials it wrote, and sets the ward up.</summary>
    public static async Task<ClusterWard> SetUpAsync(ClusterNode first)
    {
        var bootstrap = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(first.DataDirectory, "bootstrap-credentials.json"), TestContext.Current.CancellationToken)).RootElement;
        var admin = await first.SignInAsync(bootstrap.GetProperty("clientId").GetString()!, bootstrap.GetProperty("clientSecret").GetString()!);
        var careTeamId = (await PostAsync(admin, "/api/v1/care-teams", new { name = "Virtual ward" })).GetProperty("id").GetString()!;
        var recordSystem = await PostAsync(admin, "/api/v1/clients", new { name = "Record system", role = "integration" });
        return new ClusterWard(admin, bootstrap, careTeamId, recordSystem);
    }

    /// <summary>The administrator, signed in on the first node.</summary>
    public HttpClient Administrator => admin;

    /// <summary>
    /// Admits a patient to the ward with a new pulse oximeter assigned since an hour ago (so that readings
    /// timed a little in the past are the patient's), through the first node.
    /// </summary>
    public async Task<(string Id, string Secret, string PatientId)> AdmitWithOximeterAsync(string bed)
    {
        var patientId = (await PostAsync(admin, "/api/v1/patients", new { name = "Test Patient " + bed, careTeamId = CareTeamId })).GetProperty("id").GetString()!;
        var deviceId = "oximeter-" + bed + "-" + Guid.NewGuid().ToString("N")[..8];
        var secret = (await PostAsync(admin, "/api/v1/devices", new { id = deviceId, model = "Test Oximeter", serial = "SN-" + deviceId })).GetProperty("secret").GetString()!;
        await PostAsync(admin, $"/api/v1/devices/{deviceId}/assignment", new { patientId, from = DateTimeOffset.UtcNow.AddHours(-1) });
        return (deviceId, secret, patientId);
    }

    /// <summary>The administrator signed in on <paramref name="node"/>, with a token that node issued.</summary>
    public Task<HttpClient> AdministratorOnAsync(ClusterNode node) =>
        node.SignInAsync(bootstrap.GetProperty("clientId").GetString()!, bootstrap.GetProperty("clientSecret").GetString()!);

    /// <summary>The record system signed in on <paramref name="node"/>, with a token that node issued.</summary>
    public Task<HttpClient> RecordSystemOnAsync(ClusterNode node) =>
        node.SignInAsync(recordSystem.GetProperty("clientId").GetString()!, recordSystem.GetProperty("clientSecret").GetString()!);

    /// <summary>The record system signed in at <paramref name="address"/> (a load balancer's), with a token issued there.</summary>
    public Task<HttpClient> RecordSystemAtAsync(Uri address) =>
        ClusterNode.SignInAtAsync(address, recordSystem.GetProperty("clientId").GetString()!, recordSystem.GetProperty("clientSecret").GetString()!);

    /// <summary>Posts JSON; the answer must be a success (its JSON body, if any).</summary>
    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    /// <inheritdoc />
    public void Dispose() => admin.Dispose();
}
