using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.People;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>On its own server, whose lockout lasts three seconds of a clock the test moves.</summary>
public sealed class LockoutExpiryTests(LockoutExpiryTests.ShortLockout server) : IClassFixture<LockoutExpiryTests.ShortLockout>
{
    public sealed class ShortLockout : RunningServer
    {
        /// <summary>The clock the user directory locks and unlocks accounts by: it stands still until the test moves it.</summary>
        public FakeTimeProvider LockoutClock { get; } = new(DateTimeOffset.UtcNow);

        protected override IEnumerable<string> ExtraArguments => ["--OpenWard:SignIn:LockoutMinutes=0.05"];

        // The user directory only: the silo, the periodic checks and the sign-in page's pace take the server's
        // TimeProvider too, and would stop on a clock that stands still.
        protected override void AddServices(IServiceCollection services) =>
            services.AddSingleton(provider => ActivatorUtilities.CreateInstance<UserDirectory>(provider, LockoutClock));
    }

    [Fact]
    public async Task AfterALockoutEnds_OneWrongPassword_DoesNotLockTheAccountAgain()
    {
        var (userId, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            (await PersonSignIn.SubmitPasswordAsync(server, userName, "not the password " + attempt)).Response.Dispose();
        }

        var lockedUntil = await LockedUntilAsync(userId);
        Assert.NotNull(lockedUntil);
        server.LockoutClock.SetUtcNow(lockedUntil.Value + TimeSpan.FromMilliseconds(1));

        var (wrong, _) = await PersonSignIn.SubmitPasswordAsync(server, userName, "one more slip");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var tokens = await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
    }

    private async Task<DateTimeOffset?> LockedUntilAsync(string userId)
    {
        var users = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/users", TestContext.Current.CancellationToken);
        var user = users.EnumerateArray().Single(u => u.GetProperty("id").GetString() == userId);
        return user.GetProperty("lockedUntil").ValueKind == JsonValueKind.Null ? null : user.GetProperty("lockedUntil").GetDateTimeOffset();
    }
}
