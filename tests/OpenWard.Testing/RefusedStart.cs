using Microsoft.Extensions.Options;
using OpenWard.Server;

namespace OpenWard.Testing;

/// <summary>Starting a server with one setting that cannot work, to see it refuse.</summary>
public static class RefusedStart
{
    /// <summary>Builds and starts a server on free loopback ports with <paramref name="setting"/> (e.g. <c>OpenWard:Mllp:IdleTimeoutSeconds=0</c>); returns the validation refusal it must throw.</summary>
    public static async Task<OptionsValidationException> WithSettingAsync(string setting)
    {
        var ports = FreePorts.Take(5);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "openward-test-" + Guid.NewGuid().ToString("N"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await Assert.ThrowsAsync<OptionsValidationException>(async () =>
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
                    "--" + setting,
                    "--Logging:LogLevel:Default=Warning",
                ], timeout.Token);
                await app.StartAsync(timeout.Token);
            });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
