using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Devices;
using OpenWard.Server.Patients;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Devices' telemetry (last seen, battery, connection) written by every node of a cluster: the newest
/// view wins, so a node that heard from a device before it moved never turns it back, and the battery
/// charge kept is that of the latest reading by device time.
/// </summary>
public sealed class DeviceStatusStoreTests
{
    [Fact]
    public async Task ANodeThatHeardADeviceLast_DoesNotReplaceItsBatteryCharge_WithAnOlderReading()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        await using var store = await StoreWithDeviceAsync(ct);
        await using var otherNode = await store.SecondNodeAsync(PatientsSchema.Definition, DevicesSchema.Definition);
        // Node a stored the charge of a reading taken a minute ago, 60 %. Node b hears from the device after it,
        // but the battery reading it commits was taken an hour ago (buffered on the device), at 90 %.
        await Recorder(store.Database, NodeHearing(now.AddMinutes(-1), 60, now.AddMinutes(-1))).SaveChangesAsync(ct);
        await Recorder(otherNode, NodeHearing(now, 90, now.AddHours(-1))).SaveChangesAsync(ct);

        var (lastSeen, battery, _) = await TelemetryAsync(store, ct);
        Assert.Equal(now.ToUnixTimeMilliseconds(), lastSeen);
        Assert.Equal(60, battery);

        // A node restarted on this store knows the charge's time, and keeps it against an older reading too.
        var restarted = new DeviceConnectivity(TimeProvider.System);
        await Recorder(otherNode, restarted).LoadAsync(ct);
        restarted.BatteryReported("dev-1", 90, now.AddHours(-1));
        Assert.Equal(60, restarted.Battery("dev-1"));
    }

    [Fact]
    public async Task ANodeWithAnOlderViewOfADevice_DoesNotTurnItsTelemetryBack()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await StoreWithDeviceAsync(ct);
        await using var otherNode = await store.SecondNodeAsync(PatientsSchema.Definition, DevicesSchema.Definition);
        var now = DateTimeOffset.UtcNow;
        // Node a holds the device now, at 80 %; node b last heard from it ten minutes ago, at 95 %, before it moved.
        var nodeA = NodeHearing(now, 80, now);
        var nodeB = NodeHearing(now.AddMinutes(-10), 95, now.AddMinutes(-10));
        nodeB.Disconnected("dev-1", now.AddMinutes(-10));

        await Recorder(store.Database, nodeA).SaveChangesAsync(ct);
        await Recorder(otherNode, nodeB).SaveChangesAsync(ct);

        var (lastSeen, battery, connected) = await TelemetryAsync(store, ct);
        Assert.Equal(now.ToUnixTimeMilliseconds(), lastSeen);
        Assert.Equal(80, battery);
        Assert.Equal(1, connected);
    }

    // A node whose clock stands at the moment it heard from dev-1 (connecting), with a battery reading taken at takenAt.
    private static DeviceConnectivity NodeHearing(DateTimeOffset at, double percent, DateTimeOffset takenAt)
    {
        var node = new DeviceConnectivity(new FakeTimeProvider(at));
        node.Connected("dev-1");
        node.BatteryReported("dev-1", percent, takenAt);
        return node;
    }

    private static DeviceStatusRecorder Recorder(ClinicalDatabase database, DeviceConnectivity node) =>
        new(database, node, TimeProvider.System, NullLogger<DeviceStatusRecorder>.Instance);

    // A PostgreSQL store holding one device, dev-1.
    private static async Task<StoreEngine> StoreWithDeviceAsync(CancellationToken ct)
    {
        var store = await StoreEngine.CreateAsync("postgresql", PatientsSchema.Definition, DevicesSchema.Definition);
        await store.Database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO devices (id, model, serial, secret_hash, created_at) VALUES ('dev-1', 'Test Oximeter', 'S1', 'x', 0);";
            await insert.ExecuteNonQueryAsync(ct);
        }, ct);
        return store;
    }

    private static async Task<(long LastSeen, double Battery, long Connected)> TelemetryAsync(StoreEngine store, CancellationToken ct)
    {
        await using var connection = await store.Database.OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT last_seen, battery_percent, connected FROM devices WHERE id = 'dev-1';";
        await using var row = await query.ExecuteReaderAsync(ct);
        Assert.True(await row.ReadAsync(ct));
        return (row.GetInt64(0), row.GetDouble(1), row.GetInt64(2));
    }
}
