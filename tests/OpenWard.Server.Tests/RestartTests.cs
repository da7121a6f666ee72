using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using OpenWard.Server.Monitoring;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public abstract class RestartContract(RunningServer server)
{
    [Fact]
    public async Task Restart_KeepsEveryAcknowledgedReadingAndDeviceCredentials()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        var start = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            for (var message = 0; message < 20; message++)
            {
                var readings = Enumerable.Range(0, 10).Select(i => Publishing.HeartRate(start.AddSeconds(message * 10 + i), 70));
                var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", "[" + string.Join(',', readings) + "]");
                Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
            }
        }

        var bootstrap = await server.ReadBootstrapCredentialsAsync();
        await server.RestartAsync();

        Assert.Equal(bootstrap, await server.ReadBootstrapCredentialsAsync());
        var page = await server.GetJsonAsync($"/api/v1/patients/{patientId}/readings?vital=heart-rate&resolution=1d");
        Assert.Equal(200, Assert.Single(page.GetProperty("buckets").EnumerateArray()).GetProperty("count").GetInt64());
        using var again = await server.ConnectDeviceAsync(deviceId, secret);
        Assert.True(again.IsConnected);
    }

    [Fact]
    public async Task Restart_RemembersWhenEachDeviceWasLastSeen_AndItsBattery()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        var taken = DateTimeOffset.UtcNow.AddMinutes(-1);
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            var battery = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{"vital":"device-battery","time":"{{Publishing.Time(taken)}}","value":64,"unit":"%"}""");
            var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(taken, 72)},{battery}]");
            Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        }

        // The battery charge reaches the fleet list once the readings are delivered to monitoring, just after the commit.
        var before = await Eventually.MatchAsync(() => StatusAsync(deviceId),
            status => status.GetProperty("batteryPercent").ValueKind != System.Text.Json.JsonValueKind.Null, "the battery charge in the fleet list");

        Assert.Equal(64, before.GetProperty("batteryPercent").GetDouble());
        await server.RestartAsync();

        var after = await StatusAsync(deviceId);
        Assert.False(after.GetProperty("connected").GetBoolean());
        Assert.Equal(before.GetProperty("lastSeenAt").GetDateTimeOffset(), after.GetProperty("lastSeenAt").GetDateTimeOffset());
        Assert.Equal(64, after.GetProperty("batteryPercent").GetDouble());
    }

    [Fact]
    public async Task ABatteryReadingTakenBeforeTheChargeKnown_DoesNotReplaceIt_InTheFleetListOrAfterARestart()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        var taken = DateTimeOffset.UtcNow.AddMinutes(-1);
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            // The newer charge is committed first; a reading the device buffered ten minutes earlier comes after it.
            Assert.Equal(MqttClientPublishReasonCode.Success, (await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Battery(taken, 41)}]")).ReasonCode);
            Assert.Equal(MqttClientPublishReasonCode.Success, (await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Battery(taken.AddMinutes(-10), 77)}]")).ReasonCode);
        }

        // Acknowledged means committed and noted: the fleet list knows both readings by now.
        Assert.Equal(41, (await StatusAsync(deviceId)).GetProperty("batteryPercent").GetDouble());
        await server.RestartAsync();

        Assert.Equal(41, (await StatusAsync(deviceId)).GetProperty("batteryPercent").GetDouble());
    }

    [Fact]
    public async Task AfterARestart_PatientsWithExpectedReadingsOrOpenAlerts_AreWatched_WithoutAReading()
    {
        var ct = TestContext.Current.CancellationToken;
        var expecting = await server.AddPatientAsync();
        using (var set = await server.Clinician.PutAsJsonAsync($"/api/v1/patients/{expecting}/alert-settings",
            new { expectedReadings = new[] { new { vital = "spo2", within = "00:30:00" } } }, ct))
        {
            set.EnsureSuccessStatusCode();
        }

        var (alarmingDevice, alarmingSecret, alarming) = await server.AssignedDeviceAsync();
        var (quietDevice, quietSecret, quiet) = await server.AssignedDeviceAsync();
        var now = DateTimeOffset.UtcNow.AddSeconds(-1);
        using (var device = await server.ConnectDeviceAsync(alarmingDevice, alarmingSecret))
        {
            // Urgent low glucose: a critical alert at once.
            await device.PublishReadingsAsync($"devices/{alarmingDevice}/readings",
                $$"""[{"vital":"blood-glucose","time":"{{Publishing.Time(now)}}","value":45,"unit":"mg/dL"}]""");
        }

        using (var device = await server.ConnectDeviceAsync(quietDevice, quietSecret))
        {
            await device.PublishReadingsAsync($"devices/{quietDevice}/readings", $"[{Publishing.HeartRate(now, 70)}]");
        }

        await server.WaitForAlertAsync(alarming);
        await server.RestartAsync();

        // Nothing is sent after the restart: the roll call alone starts the watch.
        var watched = await Eventually.MatchAsync(ActivePatientGrainsAsync,
            active => active.Contains(expecting) && active.Contains(alarming), "both patients to be watched again");

        Assert.Contains(expecting, watched);
        Assert.Contains(alarming, watched);
        Assert.DoesNotContain(quiet, watched);
    }

    // Which patients' grains the silo holds (read from Orleans' own management grain, not through a patient's).
    private async Task<HashSet<string>> ActivePatientGrainsAsync()
    {
        var grains = server.Services.GetRequiredService<IGrainFactory>();
        var type = grains.GetGrain<IPatientGrain>("any").GetGrainId().Type;
        var active = await grains.GetGrain<IManagementGrain>(0).GetActiveGrains(type);
        return [.. active.Select(id => id.Key.ToString()!)];
    }

    private static string Battery(DateTimeOffset taken, int percent) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $$"""{"vital":"device-battery","time":"{{Publishing.Time(taken)}}","value":{{percent}},"unit":"%"}""");

    private async Task<System.Text.Json.JsonElement> StatusAsync(string deviceId) =>
        (await server.GetJsonAsync("/api/v1/device-status")).EnumerateArray().Single(d => d.GetProperty("id").GetString() == deviceId);
}

/// <summary>The contract on the embedded SQLite store.</summary>
public sealed class RestartTests(RunningServer server) : RestartContract(server), IClassFixture<RunningServer>;

/// <summary>The contract on a PostgreSQL store.</summary>
public sealed class RestartOnPostgreSqlTests(PostgreSqlServer server) : RestartContract(server), IClassFixture<PostgreSqlServer>;
