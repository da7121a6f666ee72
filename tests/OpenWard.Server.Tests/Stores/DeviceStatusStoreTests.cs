using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Devices;
using OpenWard.Server.Patients;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Devices' telemetry (last seen, battery, connection) written by every node of a cluster: the newest
/// view wins, so a node that heard from a device before it moved never turns it back.
/// </summary>
public sealed class DeviceStatusStoreTests
{
    [Fact]
    public async Task ANodeWithAnOlderViewOfADevice_DoesNotTurnItsTelemetryBack()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await StoreEngine.CreateAsync("postgresql", PatientsSchema.Definition, DevicesSchema.Definition);
        await using var otherNode = await store.SecondNodeAsync(PatientsSchema.Definition, DevicesSchema.Definition);
        await store.Database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO devices (id, model, serial, secret_hash, created_at) VALUES ('dev-1', 'Test Oximeter', 'S1', 'x', 0);";
            await insert.ExecuteNonQueryAsync(ct);
        }, ct);
        var now = DateTimeOffset.UtcNow;
        // Node a holds the device now, at 80 %; node b last heard from it ten minutes ago, at 95 %, before it moved.
        var clockA = new FakeTimeProvider(now);
        var nodeA = new DeviceConnectivity(clockA);
        nodeA.Connected("dev-1");
        nodeA.BatteryReported("dev-1", 80);
        var clockB = new FakeTimeProvider(now.AddMinutes(-10));
        var nodeB = new DeviceConnectivity(clockB);
        nodeB.Connected("dev-1");
        nodeB.BatteryReported("dev-1", 95);
        nodeB.Disconnected("dev-1", clockB.GetUtcNow());

        await new DeviceStatusRecorder(store.Database, nodeA, clockA, NullLogger<DeviceStatusRecorder>.Instance).SaveChangesAsync(ct);
        await new DeviceStatusRecorder(otherNode, nodeB, clockB, NullLogger<DeviceStatusRecorder>.Instance).SaveChangesAsync(ct);

        await using var connection = await store.Database.OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT last_seen, battery_percent, connected FROM devices WHERE id = 'dev-1';";
        await using var row = await query.ExecuteReaderAsync(ct);
        Assert.True(await row.ReadAsync(ct));
        Assert.Equal(now.ToUnixTimeMilliseconds(), row.GetInt64(0));
        Assert.Equal(80, row.GetDouble(1));
        Assert.Equal(1, row.GetInt64(2));
    }
}
