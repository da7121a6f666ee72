using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Server.Identity;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// <c>POST /api/v1/token-keys/rotate</c>: the next key signs at once, tokens signed before stay valid, a
/// second rotation right after is refused, and the keys are the store's, so a restart keeps them.
/// </summary>
public abstract class TokenKeyRotationContract(RunningServer server)
{
    [Fact]
    public async Task Rotate_SignsWithTheNextKeyAtOnce_KeepsTokensSignedBefore_AndHoldsAcrossARestart()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = SignedBy(server.ClinicianToken);

        using var rotated = await server.Admin.PostAsync("/api/v1/token-keys/rotate", null, ct);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var rotation = await rotated.Content.ReadFromJsonAsync<JsonElement>(ct);
        var signing = rotation.GetProperty("signing").GetString()!;
        Assert.Equal(before, rotation.GetProperty("retired").GetString());
        Assert.NotEqual(before, signing);
        Assert.Equal(signing, SignedBy(await NewAdministratorTokenAsync()));
        using (var withOldToken = await server.Clinician.GetAsync("/api/v1/patients", ct))
        {
            Assert.Equal(HttpStatusCode.OK, withOldToken.StatusCode);
        }

        using (var again = await server.Admin.PostAsync("/api/v1/token-keys/rotate", null, ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        await server.RestartAsync();

        Assert.Equal(signing, SignedBy(await NewAdministratorTokenAsync()));
        using (var afterRestart = await server.Clinician.GetAsync("/api/v1/patients", ct))
        {
            Assert.Equal(HttpStatusCode.OK, afterRestart.StatusCode);
        }

        Assert.Empty(Directory.GetFiles(server.DataDirectory, "token-*"));
    }

    private async Task<string> NewAdministratorTokenAsync()
    {
        using var administrator = await server.SignInAsync(await server.ReadBootstrapCredentialsAsync());
        return administrator.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    // The kid of the key that signed an access token, read inside its encryption with the server's own encryption key.
    private string SignedBy(string accessToken)
    {
        var encryption = server.Services.GetRequiredService<TokenKeyRing>().Keys.Encryption;
        var signed = new JsonWebTokenHandler().DecryptToken(new JsonWebToken(accessToken), new TokenValidationParameters { TokenDecryptionKeys = [encryption] });
        return new JsonWebToken(signed).Kid;
    }
}

/// <summary>The rotation with the SQLite store.</summary>
public sealed class TokenKeyRotationTests(RunningServer server) : TokenKeyRotationContract(server), IClassFixture<RunningServer>;

/// <summary>The rotation with the PostgreSQL store.</summary>
public sealed class TokenKeyRotationOnPostgreSqlTests(PostgreSqlServer server) : TokenKeyRotationContract(server), IClassFixture<PostgreSqlServer>;
