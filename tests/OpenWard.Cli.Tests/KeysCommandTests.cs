using System.Net;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

public sealed class KeysCommandTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task KeysRotate_RetiresTheSigningKeyThroughTheServer_AndTokensSignedBeforeKeepWorking()
    {
        var rotated = await CliProcess.RunAsync("keys", "rotate", "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory);
        var again = await CliProcess.RunAsync("keys", "rotate", "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory);

        Assert.True(rotated.ExitCode == 0, rotated.Error);
        Assert.NotEqual(rotated.Json.GetProperty("retired").GetString(), rotated.Json.GetProperty("signing").GetString());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("409", again.Error, StringComparison.Ordinal);
        using var withOldToken = await server.Clinician.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, withOldToken.StatusCode);
        using var withNewToken = await server.SignInAsync(await server.ReadBootstrapCredentialsAsync());
        using var answer = await withNewToken.GetAsync("/api/v1/devices", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }
}
