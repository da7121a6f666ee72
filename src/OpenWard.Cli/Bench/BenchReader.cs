using OpenWard.Cli.Api;

namespace OpenWard.Cli.Bench;

/// <summary>
/// An integration client created for one benchmark run, to read back what the store holds and to
/// hear alerts (administrators manage the ward but do not read clinical data). It is revoked when
/// the run ends, so no standing credential with access to patients is left behind.
/// </summary>
public sealed class BenchReader : IAsyncDisposable
{
    private readonly OpenWardApi administrator;
    private readonly string clientId;

    private BenchReader(OpenWardApi administrator, string clientId, OpenWardApi api)
    {
        this.administrator = administrator;
        this.clientId = clientId;
        Api = api;
    }

    /// <summary>The API signed in as the reading client.</summary>
    public OpenWardApi Api { get; }

    /// <summary>Creates the client through the administrator's API.</summary>
    public static async Task<BenchReader> CreateAsync(OpenWardApi administrator, string runId, CancellationToken cancellationToken)
    {
        var created = await administrator.PostAsync("/api/v1/clients", new { name = $"Benchmark {runId} verification", role = "integration" }, cancellationToken);
        var clientId = created.GetProperty("clientId").GetString()!;
        var api = new OpenWardApi(administrator.Server, new ClientCredentials(clientId, created.GetProperty("clientSecret").GetString()!));
        return new BenchReader(administrator, clientId, api);
    }

    /// <summary>Revokes the client.</summary>
    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await administrator.DeleteAsync($"/api/v1/clients/{Uri.EscapeDataString(clientId)}", CancellationToken.None);
    }
}
