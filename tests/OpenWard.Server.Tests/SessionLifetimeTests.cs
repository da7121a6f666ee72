using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenIddict.Core;
using OpenIddict.Server;
using OpenIddict.Validation;
using OpenWard.Server.Identity;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// On its own server, whose people's access tokens live two seconds and whose sessions last eight, of a
/// clock the tests move.
/// </summary>
public sealed class SessionLifetimeTests(SessionLifetimeTests.ShortSessions server) : IClassFixture<SessionLifetimeTests.ShortSessions>
{
    public sealed class ShortSessions : RunningServer
    {
        /// <summary>
        /// The clock sessions end by — OpenIddict's, which the authorization and token endpoints reckon a session's
        /// end by too, and the sign-in cookie's: it stands still until a test moves it.
        /// </summary>
        public FakeTimeProvider SessionClock { get; } = new(DateTimeOffset.UtcNow);

        protected override IEnumerable<string> ExtraArguments =>
            ["--OpenWard:SignIn:PersonAccessTokenLifetime=00:00:02", "--OpenWard:SignIn:SessionLifetime=00:00:08"];

        // Tokens and the sign-in cookie only: the silo, the periodic checks and the sign-in page's pace take the
        // server's TimeProvider too, and would stop on a clock that stands still.
        protected override void AddServices(IServiceCollection services)
        {
            services.Configure<OpenIddictCoreOptions>(options => options.TimeProvider = SessionClock);
            services.Configure<OpenIddictServerOptions>(options => options.TimeProvider = SessionClock);
            services.Configure<OpenIddictValidationOptions>(options => options.TimeProvider = SessionClock);
            services.Configure<CookieAuthenticationOptions>(SignInCookie.Scheme, options => options.TimeProvider = SessionClock);
        }
    }

    [Fact]
    public async Task Refreshing_DoesNotExtendTheSessionBeyondItsLifetime()
    {
        var (_, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        var refreshToken = (await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword)).RefreshToken!;

        // Refreshing every half second would keep a sliding session alive for ever; bounded at 40 s of the clock.
        var refreshes = 0;
        var refused = false;
        for (var attempt = 0; attempt < 80 && !refused; attempt++)
        {
            server.SessionClock.Advance(TimeSpan.FromMilliseconds(500));
            var (status, body) = await PersonSignIn.RefreshAsync(server, refreshToken);
            refused = status == HttpStatusCode.BadRequest;
            if (!refused)
            {
                Assert.Equal(HttpStatusCode.OK, status);
                refreshToken = body.GetProperty("refresh_token").GetString()!;
                refreshes++;
            }
        }

        Assert.True(refreshes > 0, "the refresh token never worked");
        Assert.True(refused, "refreshing kept the session alive beyond its lifetime");
    }

    [Fact]
    public async Task ANewCodeFromTheSameSignIn_EndsWithTheSignIn()
    {
        // A second tab asks for a code with the sign-in cookie halfway through the session; the refresh
        // token it gets must not outlive the sign-in it came from.
        var (_, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        using var browser = PersonSignIn.Browser(server, new System.Net.CookieContainer());
        var (signedIn, firstVerifier) = await PersonSignIn.SubmitPasswordAsync(server, browser, userName, RunningServer.TestPassword);
        await PersonSignIn.ExchangeAsync(server, signedIn.Headers.Location!, firstVerifier);
        server.SessionClock.Advance(TimeSpan.FromSeconds(4));
        var (secondTab, secondVerifier) = await PersonSignIn.AuthorizeAsync(server, browser);
        Assert.Equal(HttpStatusCode.Redirect, secondTab.StatusCode);
        var secondTokens = await PersonSignIn.ExchangeAsync(server, secondTab.Headers.Location!, secondVerifier);

        // Bounded at 30 s of the clock: move it on until the sign-in cookie itself is no longer accepted.
        var signInEnded = false;
        for (var attempt = 0; attempt < 60 && !signInEnded; attempt++)
        {
            server.SessionClock.Advance(TimeSpan.FromMilliseconds(500));
            var (answer, _) = await PersonSignIn.AuthorizeAsync(server, browser);
            signInEnded = new Uri(server.BaseAddress, answer.Headers.Location!).AbsolutePath == "/account/sign-in";
        }

        Assert.True(signInEnded, "the sign-in cookie outlived its session");
        var (status, _) = await PersonSignIn.RefreshAsync(server, secondTokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}
