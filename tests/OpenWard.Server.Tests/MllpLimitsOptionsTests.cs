using Microsoft.Extensions.Options;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class MllpLimitsOptionsTests
{
    [Theory]
    [InlineData("MaxConnectionsPerAddress", 0)]
    [InlineData("IdleTimeoutSeconds", 0)]
    [InlineData("FrameTimeoutSeconds", -1)]
    public async Task AServerWithAnImpossibleMllpLimit_RefusesToStart_NamingIt(string setting, int value)
    {
        var ports = FreePorts.Take(5);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "openward-test-" + Guid.NewGuid().ToString("N"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var refusal = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            {
                await using var app = await Program.BuildAsync(
                [
                    "--urls", $"http://127.0.0.1:{ports[0]}",
                    $"--OpenWard:DataDirectory={dataDirectory}",
                    $"--OpenWard:Mqtt:Port={ports[1]}",
                    "--OpenWard:Mqtt:TlsPort=0",
                    $"--OpenWard:Mllp:TlsPort={ports[2]}",
                    "--OpenWard:Mllp:TlsBindAddress=127.0.0.1",
                    $"--OpenWard:Orleans:SiloPort={ports[3]}",
                    $"--OpenWard:Orleans:GatewayPort={ports[4]}",
                    $"--OpenWard:Mllp:{setting}={value}",
                    "--Logging:LogLevel:Default=Warning",
                ], timeout.Token);
                await app.StartAsync(timeout.Token);
            });

            Assert.Contains(setting, refusal.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
