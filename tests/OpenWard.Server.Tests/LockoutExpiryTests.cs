using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>On its own server, whose lockout lasts three seconds.</summary>
public sealed class LockoutExpiryTests(LockoutExpiryTests.ShortLockout server) : IClassFixture<LockoutExpiryTests.ShortLockout>
{
    public sealed class ShortLockout : RunningServer
    {
        protected override IEnumerable<string> ExtraArguments => ["--OpenWard:SignIn:LockoutMinutes=0.05"];
    }

    [Fact]
    public async Task AfterALockoutEnds_OneWrongPassword_DoesNotLockTheAccountAgain()
    {
        var (userId, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            (await PersonSignIn.SubmitPasswordAsync(server, userName, "not the password " + attempt)).Response.Dispose();
        }

        // Bounded: the three-second lockout must be over within 30 s.
        var lockedUntil = await LockedUntilAsync(userId);
        Assert.NotNull(lockedUntil);
        for (var wait = 0; wait < 60 && DateTimeOffset.UtcNow <= lockedUntil; wait++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

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
