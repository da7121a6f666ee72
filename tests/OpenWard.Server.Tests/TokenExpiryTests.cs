using System.Net;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>On its own server, whose people's access tokens live two seconds.</summary>
public sealed class TokenExpiryTests(TokenExpiryTests.ShortLivedTokens server) : IClassFixture<TokenExpiryTests.ShortLivedTokens>
{
    public sealed class ShortLivedTokens : RunningServer
    {
        protected override IEnumerable<string> ExtraArguments => ["--OpenWard:SignIn:PersonAccessTokenLifetime=00:00:02"];
    }

    [Fact]
    public async Task ExpiredAccessToken_IsRefused()
    {
        var (_, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        using var console = server.WithToken((await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword)).AccessToken);
        using var fresh = await console.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);

        // Bounded: the token must be refused within 30 s of a two-second lifetime.
        var status = HttpStatusCode.OK;
        for (var attempt = 0; attempt < 60 && status == HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            using var later = await console.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);
            status = later.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
