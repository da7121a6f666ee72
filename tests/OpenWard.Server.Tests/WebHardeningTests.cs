using System.Net;
using OpenWard.Server.Protection;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class WebHardeningTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task EveryAnswer_CarriesTheSecurityHeaders_EvenARefusal()
    {
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var refused = await anonymous.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);
        using var answered = await server.Admin.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);

        foreach (var response in new[] { refused, answered })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal(WebHardening.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.True(response.Headers.CacheControl?.NoStore);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task AccessTokenInTheQueryString_IsRefusedOutsideTheHubs()
    {
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        var token = Uri.EscapeDataString(server.ClinicianToken);

        using var api = await anonymous.GetAsync($"/api/v1/patients?access_token={token}", TestContext.Current.CancellationToken);
        using var hub = await anonymous.PostAsync($"/hubs/alerts/negotiate?negotiateVersion=1&access_token={token}", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hub.StatusCode);
    }

    [Fact]
    public async Task AnotherSitesBrowser_GetsNoCorsPermission()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/patients");
        request.Headers.Add("Origin", "https://elsewhere.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await server.Admin.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task OversizedBody_IsRefusedWithoutDetail()
    {
        using var content = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        // Asking first (Expect: 100-continue), the client hears the refusal before it sends the body;
        // sending it at once races the server closing the connection after refusing.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/patients") { Content = content };
        request.Headers.ExpectContinue = true;

        using var response = await server.Admin.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, response.StatusCode.ToString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal); // no stack trace
    }
}
