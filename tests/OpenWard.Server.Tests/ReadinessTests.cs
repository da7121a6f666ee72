using System.Net;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// <c>GET /health/ready</c>, which load balancers ask: open to anyone, two words and nothing more, and
/// "ok" only while the node can write to its store (the store lost: <c>StoreOutageTests</c>).
/// </summary>
public sealed class ReadinessTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Ready_AsksForNoSignIn_AndSaysOnlyOk()
    {
        using var anyone = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await anyone.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
