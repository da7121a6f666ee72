using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>The sign-in page's cookies over HTTPS.</summary>
public sealed class SignInCookieTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task SignInPage_OverHttps_SetsItsAntiforgeryCookieSecure()
    {
        using var handler = new HttpClientHandler
        {
            // The test server's certificate is the self-signed one it generated on first start.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        using var https = new HttpClient(handler) { BaseAddress = server.HttpsAddress };

        using var page = await https.GetAsync("/account/sign-in", TestContext.Current.CancellationToken);

        var cookie = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("openward-antiforgery=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
