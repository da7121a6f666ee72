using OpenWard.Core.Readings;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>The group commit stores each reading once, exactly as it was given, however readings of different devices and patients interleave.</summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Taken = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private GroupCommitStore store = null!;

    public async ValueTask InitializeAsync() => store = await GroupCommitStore.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task AReadingSentTwice_IsStoredOnce_AndAnotherTimeOfTheSameDeviceIsStored()
    {
        var ct = TestContext.Current.CancellationToken;

        var first = await store.Committer.CommitAsync([Measure("dev-1", "pat-1", "heart-rate", 70, "/min", 7)], [], ct);
        var again = await store.Committer.CommitAsync(
            [Measure("dev-1", "pat-1", "heart-rate", 70, "/min", 7), Measure("dev-1", "pat-1", "heart-rate", 71, "/min", 8)], [], ct);

        Assert.Equal([true], first.Stored);
        Assert.Equal([false, true], again.Stored);
        Assert.Equal([2L], await store.ColumnAsync("SELECT count(*) FROM readings;", ct));
    }

    [Fact]
    public async Task ReadingsOfDifferentDevicesPatientsAndSigns_InterleavedInOneCommit_KeepTheirOwnValues()
    {
        var ct = TestContext.Current.CancellationToken;
        // Consecutive rows share some values and differ in others; an unassigned device's reading has no patient.
        Reading[] upload =
        [
            Measure("dev-1", "pat-1", "heart-rate", 70, "/min", 1),
            Measure("dev-1", "pat-1", "spo2", 97, "%", 1),
            Measure("dev-2", null, "spo2", 95, "%", 1),
            Measure("dev-2", null, "spo2", 94, "%", 2),
            Measure("dev-3", "pat-2", "spo2", 93, "%", 2) with { ReceivedTime = Taken.AddMinutes(5), Sequence = 12 },
            Measure("dev-1", "pat-1", "heart-rate", 72, "/min", 3),
        ];
        var results = await Task.WhenAll(
            store.Committer.CommitAsync(upload[..3], [], ct),
            store.Committer.CommitAsync(upload[3..], [], ct));

        Assert.All(results, result => Assert.DoesNotContain(false, result.Stored));
        var stored = await store.ColumnAsync("""
            SELECT device_id || '|' || ifnull(patient_id, '-') || '|' || vital || '|' || value || '|' || unit || '|'
                   || (device_time - 1796112000000) || '|' || (received_time - 1796112000000) || '|' || ifnull(seq, '-')
            FROM readings ORDER BY device_id, vital, device_time;
            """, ct);
        Assert.Equal(
        [
            "dev-1|pat-1|heart-rate|70.0|/min|1000|0|-",
            "dev-1|pat-1|heart-rate|72.0|/min|3000|0|-",
            "dev-1|pat-1|spo2|97.0|%|1000|0|-",
            "dev-2|-|spo2|95.0|%|1000|0|-",
            "dev-2|-|spo2|94.0|%|2000|0|-",
            "dev-3|pat-2|spo2|93.0|%|2000|300000|12",
        ], stored);
    }

    private static Reading Measure(string device, string? patient, string vital, double value, string unit, int second) => new()
    {
        DeviceId = device,
        PatientId = patient,
        Vital = vital,
        Value = value,
        Unit = unit,
        DeviceTime = Taken.AddSeconds(second),
        ReceivedTime = Taken,
    };
}
