using System.Net;
using System.Net.Http.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>Passwords that are long enough but easy to guess are refused, with the reason.</summary>
public sealed class PasswordPolicyTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Theory]
    [InlineData("password1234")]
    [InlineData("Password2024!")]
    [InlineData("qwertyuiop123")]
    [InlineData("123456789012")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("welcome12345")]
    public async Task NewAccount_WithACommonPassword_IsRefusedWithTheReason(string password)
    {
        using var response = await server.Admin.PostAsJsonAsync("/api/v1/users",
            new { userName = "nurse-" + Guid.NewGuid().ToString("N")[..8], displayName = "Nurse", role = "nurse", password }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("easy to guess", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordChange_ToOneContainingTheUserName_IsRefusedWithTheReason()
    {
        var (_, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        using var console = server.WithToken((await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword)).AccessToken);

        using var response = await console.PostAsJsonAsync("/api/v1/me/password",
            new { currentPassword = RunningServer.TestPassword, newPassword = userName + "-secret" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("user name", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
