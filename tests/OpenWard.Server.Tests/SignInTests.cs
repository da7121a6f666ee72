using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class SignInTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task RepeatedWrongPasswords_LockTheAccount_EvenAgainstTheRightOne_UntilAnAdministratorUnlocksIt()
    {
        var (userId, userName) = await server.AddUserAsync("nurse", server.TestWardId);

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var (wrong, _) = await PersonSignIn.SubmitPasswordAsync(server, userName, "not the password " + attempt);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var (locked, _) = await PersonSignIn.SubmitPasswordAsync(server, userName, RunningServer.TestPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);

        using var unlock = await server.Admin.PostAsync($"/api/v1/users/{userId}/unlock", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, unlock.StatusCode);
        var tokens = await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));

        var trail = await server.Admin.GetStringAsync("/fhir/AuditEvent?_count=1000", TestContext.Current.CancellationToken);
        Assert.Contains("sign-in", trail, StringComparison.Ordinal);
        Assert.Contains("lockedout", trail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_WithoutItsAntiForgeryToken_IsRefused_AndNeverRedirectsOffTheServer()
    {
        var (_, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        using var forged = await http.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = userName,
            ["password"] = RunningServer.TestPassword,
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var page = await http.GetStringAsync("/account/sign-in?returnUrl=https://phishing.example/", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("phishing.example", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0a/evil.example")]
    [InlineData("/%0d%0aSet-Cookie:%20x=1")]
    [InlineData("/\\evil.example")]
    public async Task SignInPage_RefusesAReturnUrlWithControlCharacters_AndSendsThePersonToTheConsoleInstead(string returnUrl)
    {
        var (_, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        using var browser = PersonSignIn.Browser(server, new CookieContainer());

        using var page = await browser.GetAsync("/account/sign-in?returnUrl=" + returnUrl, TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("evil.example", html, StringComparison.Ordinal);
        var fields = PersonSignIn.HiddenFields(html);
        fields["returnUrl"] = Uri.UnescapeDataString(returnUrl);
        fields["userName"] = userName;
        fields["password"] = RunningServer.TestPassword;
        using var signedIn = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task RefreshToken_GivesANewAccessToken_UntilTheAccountIsDisabled_WhichAlsoRevokesTheCurrentOne()
    {
        var (userId, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        var tokens = await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword);
        Assert.NotNull(tokens.RefreshToken);
        var patientId = await server.AddPatientAsync();

        var refreshed = await RefreshAsync(tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        using var console = server.WithToken(refreshed.Body.GetProperty("access_token").GetString()!);
        using var before = await console.GetAsync($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var disable = await server.Admin.PostAsync($"/api/v1/users/{userId}/disable", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);

        using var after = await console.GetAsync($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await RefreshAsync(refreshed.Body.GetProperty("refresh_token").GetString()!)).Status);
        var (again, _) = await PersonSignIn.SubmitPasswordAsync(server, userName, RunningServer.TestPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task TamperedAccessToken_IsRefused()
    {
        var token = server.ClinicianToken;
        var middle = token.Length / 2;
        var tampered = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];
        using var forged = server.WithToken(tampered);

        using var response = await forged.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RevokedClient_IsRefusedAtOnce()
    {
        using var created = await server.Admin.PostAsJsonAsync("/api/v1/clients", new { name = "Leaving integration", role = "integration" }, TestContext.Current.CancellationToken);
        var client = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var clientId = client.GetProperty("clientId").GetString()!;
        using var integration = await server.SignInAsync((clientId, client.GetProperty("clientSecret").GetString()!));
        using var before = await integration.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);

        using var revoke = await server.Admin.DeleteAsync($"/api/v1/clients/{clientId}", TestContext.Current.CancellationToken);
        using var after = await integration.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string refreshToken) => PersonSignIn.RefreshAsync(server, refreshToken);
}
