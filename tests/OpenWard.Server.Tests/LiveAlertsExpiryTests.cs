using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// On its own server, whose people's access tokens live two seconds of the wall clock. Not a clock the test moves:
/// SignalR closes a connection whose token has expired by comparing the token's expiry with
/// <see cref="DateTimeOffset.UtcNow"/> on its own one-second heartbeat, and takes no TimeProvider. On a server whose
/// tokens were stamped by a moved clock (<see cref="SessionLifetimeTests"/>), the wait would be however far that clock
/// had been moved.
/// </summary>
public sealed class LiveAlertsExpiryTests(LiveAlertsExpiryTests.ShortLivedTokens server) : IClassFixture<LiveAlertsExpiryTests.ShortLivedTokens>
{
    public sealed class ShortLivedTokens : RunningServer
    {
        protected override IEnumerable<string> ExtraArguments => ["--OpenWard:SignIn:PersonAccessTokenLifetime=00:00:02"];
    }

    [Fact]
    public async Task LiveAlertsConnection_IsClosedWhenItsAccessTokenExpires()
    {
        var (_, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        var tokens = await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword);

        await using var liveAlerts = await AlertListener.ConnectAsync(server, tokens.AccessToken);

        // Waits on the wall clock (two seconds, bounded at 30 s): SignalR's expiry check reads DateTimeOffset.UtcNow,
        // with no hook for a controllable clock (CloseOnAuthenticationExpiration, Http.Connections' HttpConnectionManager).
        Assert.True(await liveAlerts.WaitUntilClosedAsync(), "the connection outlived its access token");
    }
}
