using Microsoft.Data.Sqlite;
using MQTTnet.Protocol;
using OpenWard.Cli.Api;
using OpenWard.Cli.Bench;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

public sealed class BenchVerificationTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Verification_CatchesAcknowledgedReadingsMissingFromABrokenStore()
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = new OpenWardApi(server.BaseAddress, ClientCredentials.Resolve(server.DataDirectory));
        var devices = await BenchWard.ProvisionAsync(api, 2, "broken", new Progress<int>(), ct);
        var benchmark = new IngestBenchmark(new IngestLoad
        {
            Devices = 2,
            MessagesPerDevicePerSecond = 20,
            ReadingsPerMessage = 5,
            Qos = MqttQualityOfServiceLevel.AtLeastOnce,
            Duration = TimeSpan.FromSeconds(1),
            MqttHost = "127.0.0.1",
            MqttPort = server.MqttPort,
        });
        await benchmark.RunAsync(devices, onPublishingStarted: null, ct);
        await using var reader = await BenchReader.CreateAsync(api, "broken", ct);
        var intact = await BenchWard.CountStoredAsync(reader.Api, devices, ct);
        Assert.Equal(0, IngestVerification.Lost(devices.Select(d => d.Id), benchmark.AcknowledgedByDevice, intact));

        // Break the store behind the server's back: seven acknowledged readings of one device vanish.
        await using (var store = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "openward.db")}"))
        {
            await store.OpenAsync(ct);
            await using var delete = store.CreateCommand();
            delete.CommandText = "DELETE FROM readings WHERE id IN (SELECT id FROM readings WHERE device_id = $device LIMIT 7);";
            delete.Parameters.AddWithValue("$device", devices[0].Id);
            Assert.Equal(7, await delete.ExecuteNonQueryAsync(ct));
        }

        var broken = await BenchWard.CountStoredAsync(reader.Api, devices, ct);
        Assert.Equal(7, IngestVerification.Lost(devices.Select(d => d.Id), benchmark.AcknowledgedByDevice, broken));
    }

    [Fact]
    public void Lost_CountsOnlyMissingReadingsPerDevice()
    {
        var acknowledged = new Dictionary<string, long> { ["a"] = 10, ["b"] = 5 };
        var found = new Dictionary<string, long> { ["a"] = 7, ["b"] = 9 };

        Assert.Equal(3, IngestVerification.Lost(["a", "b"], acknowledged, found));
        Assert.Equal(15, IngestVerification.Lost(["a", "b"], acknowledged, new Dictionary<string, long>()));
    }
}
