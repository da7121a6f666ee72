using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenIddict.Core;
using OpenIddict.Server;
using OpenIddict.Validation;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>On its own server, whose people's access tokens live two seconds of a clock the test moves.</summary>
public sealed class TokenExpiryTests(TokenExpiryTests.ShortLivedTokens server) : IClassFixture<TokenExpiryTests.ShortLivedTokens>
{
    public sealed class ShortLivedTokens : RunningServer
    {
        public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

        /// <summary>The clock OpenIddict issues and checks tokens by: it stands still until the test moves it.</summary>
        public FakeTimeProvider TokenClock { get; } = new(DateTimeOffset.UtcNow);

        protected override IEnumerable<string> ExtraArguments => [$"--OpenWard:SignIn:PersonAccessTokenLifetime={Lifetime:c}"];

        // OpenIddict only: the silo, the periodic checks and the sign-in page's pace take the server's
        // TimeProvider too, and would stop on a clock that stands still.
        protected override void AddServices(IServiceCollection services)
        {
            services.Configure<OpenIddictCoreOptions>(options => options.TimeProvider = TokenClock);
            services.Configure<OpenIddictServerOptions>(options => options.TimeProvider = TokenClock);
            services.Configure<OpenIddictValidationOptions>(options => options.TimeProvider = TokenClock);
        }
    }

    [Fact]
    public async Task ExpiredAccessToken_IsRefused()
    {
        var (_, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        using var console = server.WithToken((await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword)).AccessToken);
        using var fresh = await console.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);

        // A second beyond the lifetime: the token's expiry is written in whole seconds.
        server.TokenClock.Advance(ShortLivedTokens.Lifetime + TimeSpan.FromSeconds(1));
        using var later = await console.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, later.StatusCode);
    }
}
