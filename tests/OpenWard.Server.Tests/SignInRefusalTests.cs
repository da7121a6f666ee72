using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>What a refused sign-in or token request tells the caller, and what it leaves in the audit trail.</summary>
public sealed partial class SignInRefusalTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task SignInPage_SaysTheSame_ForAnUnknownUser_AWrongPassword_ALockedAndADisabledAccount()
    {
        var (_, wrongPassword) = await server.AddUserAsync("nurse", server.TestWardId);
        var (_, locked) = await server.AddUserAsync("nurse", server.TestWardId);
        var (disabledId, disabled) = await server.AddUserAsync("nurse", server.TestWardId);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            (await PersonSignIn.SubmitPasswordAsync(server, locked, "not the password " + attempt)).Response.Dispose();
        }

        using var disable = await server.Admin.PostAsync($"/api/v1/users/{disabledId}/disable", null, TestContext.Current.CancellationToken);

        var messages = new[]
        {
            await RefusalAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], RunningServer.TestPassword),
            await RefusalAsync(wrongPassword, "not the password"),
            await RefusalAsync(locked, RunningServer.TestPassword),
            await RefusalAsync(disabled, RunningServer.TestPassword),
        };

        Assert.Single(messages.Distinct());
    }

    [Fact]
    public async Task TokenEndpoint_SaysTheSame_ForAnUnknownClientAndAWrongSecret()
    {
        using var created = await server.Admin.PostAsJsonAsync("/api/v1/clients", new { name = "Record system", role = "integration" }, TestContext.Current.CancellationToken);
        var clientId = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("clientId").GetString()!;

        var unknown = await ClientCredentialsAsync("client-" + Guid.NewGuid().ToString("N")[..12], "a guessed secret");
        var wrongSecret = await ClientCredentialsAsync(clientId, "a guessed secret");

        Assert.Equal(unknown.Status, wrongSecret.Status);
        Assert.Equal(unknown.Error, wrongSecret.Error);
        Assert.Equal(unknown.Description, wrongSecret.Description);
    }

    [Fact]
    public async Task AuthorizeEndpoint_SaysTheSame_ForAnUnknownClientAndAnUnregisteredRedirectUri()
    {
        var unknownClient = await AuthorizeRefusalAsync("client-" + Guid.NewGuid().ToString("N")[..12], PersonSignIn.RedirectUri(server).ToString());
        var wrongRedirect = await AuthorizeRefusalAsync(PersonSignIn.ConsoleClientId, "https://phishing.example/callback");

        Assert.Equal(unknownClient, wrongRedirect);
    }

    [Fact]
    public async Task RefusedTokenRequest_IsWrittenToTheAuditTrail()
    {
        using var created = await server.Admin.PostAsJsonAsync("/api/v1/clients", new { name = "Lab system", role = "integration" }, TestContext.Current.CancellationToken);
        var clientId = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("clientId").GetString()!;

        var refused = await ClientCredentialsAsync(clientId, "a guessed secret");

        Assert.NotEqual(HttpStatusCode.OK, refused.Status);
        // The record is appended as the answer goes out, so it may land just after it.
        await Eventually.TrueAsync(async () => (await server.Admin.GetStringAsync("/fhir/AuditEvent?_count=1000", TestContext.Current.CancellationToken))
            .Contains("client:" + clientId, StringComparison.Ordinal), "the refused token request in the audit trail");
    }

    private async Task<string> RefusalAsync(string userName, string password)
    {
        var (response, _) = await PersonSignIn.SubmitPasswordAsync(server, userName, password);
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            return ErrorMessage().Match(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Groups["message"].Value;
        }
    }

    private async Task<string> AuthorizeRefusalAsync(string clientId, string redirectUri)
    {
        using var browser = PersonSignIn.Browser(server, new CookieContainer());
        using var response = await browser.GetAsync("/connect/authorize?response_type=code&scope=openid&code_challenge_method=S256"
            + "&code_challenge=" + new string('A', 43) + "&client_id=" + Uri.EscapeDataString(clientId) + "&redirect_uri=" + Uri.EscapeDataString(redirectUri),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Replace(clientId, "…", StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string? Error, string? Description)> ClientCredentialsAsync(string clientId, string secret)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (response.StatusCode, body.GetProperty("error").GetString(), body.TryGetProperty("error_description", out var d) ? d.GetString() : null);
    }

    [GeneratedRegex("""<p role="alert" id="sign-in-error">(?<message>[^<]*)</p>""")]
    private static partial Regex ErrorMessage();
}
