using System.Net;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>PKCE with S256 only: the plain method, or none, is refused before anyone is asked to sign in, and only S256 is advertised.</summary>
public sealed class ProofKeyTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Discovery_AdvertisesOnlyS256()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var document = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(["S256"], document.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData(null)]
    public async Task Authorization_WithAPlainOrMissingChallengeMethod_IsRefused(string? method)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var parameters = new Dictionary<string, string>
        {
            ["client_id"] = PersonSignIn.ConsoleClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = PersonSignIn.RedirectUri(server).ToString(),
            ["scope"] = "openid profile roles offline_access",
            ["code_challenge"] = "a-challenge-that-is-its-own-verifier-0123456789abcdefghijklmnop",
            ["state"] = "console-state",
        };
        if (method is not null)
        {
            parameters["code_challenge_method"] = method;
        }

        using var response = await browser.GetAsync("/connect/authorize?" + string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")),
            TestContext.Current.CancellationToken);

        // Either an error page, or back to the client with the error — never on to the sign-in page.
        var location = response.Headers.Location?.ToString() ?? "";
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest || location.Contains("error=invalid_request", StringComparison.Ordinal),
            $"{(int)response.StatusCode} {location}");
        Assert.DoesNotContain("/account/sign-in", location, StringComparison.Ordinal);
    }
}
