using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Server.People;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class SecondFactorTests(RunningServer server) : IClassFixture<RunningServer>
{
    // RFC 6238 appendix B (SHA-1 rows), last six digits, with the RFC's ASCII secret "12345678901234567890" in base32.
    [Theory]
    [InlineData(59, "287082")]
    [InlineData(1111111109, "081804")]
    [InlineData(1234567890, "005924")]
    [InlineData(2000000000, "279037")]
    public void Code_MatchesTheRfc6238TestVectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))));

    [Fact]
    public async Task EnrolledPerson_NeedsTheCurrentCode_AndACodeWorksOnlyOnce()
    {
        var (_, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        using var console = server.WithToken((await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword)).AccessToken);
        using var started = await console.PostAsync("/api/v1/me/second-factor", null, TestContext.Current.CancellationToken);
        var enrolment = await started.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var secret = enrolment.GetProperty("secret").GetString()!;
        Assert.StartsWith("otpauth://totp/OpenWard:", enrolment.GetProperty("uri").GetString(), StringComparison.Ordinal);

        var step = Totp.StepAt(DateTimeOffset.UtcNow);
        using var wrong = await console.PostAsJsonAsync("/api/v1/me/second-factor/confirm", new { code = "000000" == Totp.Code(secret, step) ? "111111" : "000000" }, TestContext.Current.CancellationToken);
        using var confirmed = await console.PostAsJsonAsync("/api/v1/me/second-factor/confirm", new { code = Totp.Code(secret, step) }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        var me = await console.GetFromJsonAsync<JsonElement>("/api/v1/me", TestContext.Current.CancellationToken);
        Assert.True(me.GetProperty("secondFactor").GetBoolean());

        var (withoutCode, _) = await PersonSignIn.SubmitPasswordAsync(server, userName, RunningServer.TestPassword);
        var nextCode = Totp.Code(secret, step + 1);
        var tokens = await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword, nextCode);
        var (replayed, _) = await PersonSignIn.SubmitPasswordAsync(server, userName, RunningServer.TestPassword, nextCode);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
    }
}
