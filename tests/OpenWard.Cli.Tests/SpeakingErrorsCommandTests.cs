using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

public sealed class SpeakingErrorsCommandTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task AWrongVital_IsNamedWithTheRightOnes_AsOnePlainLine()
    {
        var patientId = await server.AddPatientAsync();
        var recordSystem = await CliProcess.RunAsync(["clients", "add", "Record system", "--role", "integration", "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory]);
        var client = (recordSystem.Json.GetProperty("clientId").GetString()!, recordSystem.Json.GetProperty("clientSecret").GetString()!);

        var refused = await CliProcess.RunAsync(client, ["readings", patientId, "--vital", "pulse", "--server", server.BaseAddress.ToString()]);

        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("openward: 400 Bad Request: vital: \"pulse\" is not a vital sign OpenWard knows; vital is one of ", line, StringComparison.Ordinal);
        Assert.Contains("heart-rate", line, StringComparison.Ordinal);
        Assert.DoesNotContain("[", line, StringComparison.Ordinal);
        Assert.DoesNotContain("{", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecordThatIsNotThere_SaysToCheckTheId()
    {
        var missing = await CliProcess.RunAsync(["devices", "revoke", "no-such-device", "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory]);

        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("openward: 404 Not Found: ", missing.Error, StringComparison.Ordinal);
        Assert.Contains("check the id", missing.Error, StringComparison.Ordinal);
    }
}
