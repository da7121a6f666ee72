using System.Net;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

public sealed class KeysCommandTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task KeysRotate_RetiresTheSigningKey_AndTokensSignedBeforeKeepWorkingAfterTheRestart()
    {
        var signingKey = Path.Combine(server.DataDirectory, "token-signing-key.pem");
        var before = await File.ReadAllTextAsync(signingKey, TestContext.Current.CancellationToken);

        var rotated = await CliProcess.RunAsync("keys", "rotate", "--data", server.DataDirectory);
        await server.RestartAsync();

        Assert.True(rotated.ExitCode == 0, rotated.Error);
        Assert.NotEqual(before, await File.ReadAllTextAsync(signingKey, TestContext.Current.CancellationToken));
        Assert.Single(Directory.GetFiles(server.DataDirectory, "token-signing-key.retired-*.pem"));
        using var withOldToken = await server.Clinician.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, withOldToken.StatusCode);
        using var withNewToken = await server.SignInAsync(await server.ReadBootstrapCredentialsAsync());
        using var answer = await withNewToken.GetAsync("/api/v1/devices", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }
}
