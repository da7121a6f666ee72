using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>A person's sessions — access tokens, refresh tokens, the sign-in cookie, live alerts — end when they should.</summary>
public sealed class SessionEndTests(RunningServer server) : IClassFixture<RunningServer>
{
    private const string NewPassword = "stepping stones by the river at dawn";

    [Fact]
    public async Task PasswordChange_EndsEverySessionOfThePerson_TokensTheSignInCookieAndLiveAlerts()
    {
        using var signedIn = await SignInInBrowserAsync("clinician");
        var thisSession = signedIn.Tokens;
        var otherSession = await PersonSignIn.SignInAsync(server, signedIn.UserName, RunningServer.TestPassword);
        await using var liveAlerts = await AlertListener.ConnectAsync(server, otherSession.AccessToken);

        using var console = server.WithToken(thisSession.AccessToken);
        using var change = await console.PostAsJsonAsync("/api/v1/me/password",
            new { currentPassword = RunningServer.TestPassword, newPassword = NewPassword }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        using var other = server.WithToken(otherSession.AccessToken);
        using var afterwards = await other.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, await RefreshStatusAsync(otherSession.RefreshToken!));
        Assert.Equal(HttpStatusCode.BadRequest, await RefreshStatusAsync(thisSession.RefreshToken!));
        Assert.True(await liveAlerts.WaitUntilClosedAsync(), "the live alerts connection stayed open after the password change");
        var (authorize, _) = await PersonSignIn.AuthorizeAsync(server, signedIn.Browser);
        Assert.Equal("/account/sign-in", new Uri(server.BaseAddress, authorize.Headers.Location!).AbsolutePath);

        // The new password signs in as usual.
        Assert.False(string.IsNullOrEmpty((await PersonSignIn.SignInAsync(server, signedIn.UserName, NewPassword)).AccessToken));
    }

    [Fact]
    public async Task SignOut_EndsTheSession_EvenForACopiedCookieAndTheTokensAlreadyIssued()
    {
        using var signedIn = await SignInInBrowserAsync("nurse");
        var (browser, tokens) = (signedIn.Browser, signedIn.Tokens);
        var copiedCookie = signedIn.Cookies.GetCookieHeader(server.BaseAddress);

        using var page = await browser.GetAsync("/account/sign-out", TestContext.Current.CancellationToken);
        var fields = PersonSignIn.HiddenFields(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var signOut = await browser.PostAsync("/account/sign-out", new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        using var thief = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
        thief.DefaultRequestHeaders.Add("Cookie", copiedCookie);
        var (authorize, _) = await PersonSignIn.AuthorizeAsync(server, thief);
        Assert.Equal("/account/sign-in", new Uri(server.BaseAddress, authorize.Headers.Location!).AbsolutePath);
        using var console = server.WithToken(tokens.AccessToken);
        using var afterwards = await console.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, await RefreshStatusAsync(tokens.RefreshToken!));
    }

    [Fact]
    public async Task DisabledPerson_IsDisconnectedFromLiveAlerts()
    {
        var (userId, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        var tokens = await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword);
        await using var liveAlerts = await AlertListener.ConnectAsync(server, tokens.AccessToken);

        using var disable = await server.Admin.PostAsync($"/api/v1/users/{userId}/disable", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        Assert.True(await liveAlerts.WaitUntilClosedAsync(), "a disabled person's live alerts connection stayed open");
    }

    [Fact]
    public async Task AccessToken_IssuedBeforeTheSessionsEnded_IsRefusedEvenIfItEscapedRevocation()
    {
        // A refresh answered while the sessions were being ended can issue a token after the revocation
        // swept: its generation is the old one. Ending the generation alone stands for that moment here.
        var (userId, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        var tokens = await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword);
        using var console = server.WithToken(tokens.AccessToken);
        using var before = await console.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        Assert.True(await server.Services.GetRequiredService<People.UserDirectory>().EndSessionsAsync(userId, TestContext.Current.CancellationToken));

        using var afterwards = await console.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }

    private async Task<HttpStatusCode> RefreshStatusAsync(string refreshToken) => (await PersonSignIn.RefreshAsync(server, refreshToken)).Status;

    // Signs in through the sign-in page in a browser that keeps its cookie.
    private async Task<BrowserSession> SignInInBrowserAsync(string role)
    {
        var (_, userName) = await server.AddUserAsync(role, server.TestWardId);
        var cookies = new CookieContainer();
        var browser = PersonSignIn.Browser(server, cookies);
        var (signedIn, verifier) = await PersonSignIn.SubmitPasswordAsync(server, browser, userName, RunningServer.TestPassword);
        return new BrowserSession(browser, cookies, userName, await PersonSignIn.ExchangeAsync(server, signedIn.Headers.Location!, verifier));
    }

    private sealed record BrowserSession(HttpClient Browser, CookieContainer Cookies, string UserName, PersonSignIn.Tokens Tokens) : IDisposable
    {
        public void Dispose() => Browser.Dispose();
    }
}
