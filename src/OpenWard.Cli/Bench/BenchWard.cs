using System.Globalization;
using OpenWard.Cli.Api;

namespace OpenWard.Cli.Bench;

/// <summary>
/// The benchmark's own ward on a real OpenWard server: one patient per device, created through the
/// admin API, and afterwards the count of what the store holds for each.
/// </summary>
public static class BenchWard
{
    /// <summary>Registers <paramref name="count"/> devices, each assigned to its own patient since 2020.</summary>
    public static async Task<IReadOnlyList<BenchDevice>> ProvisionAsync(OpenWardApi api, int count, string runId, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var devices = new BenchDevice[count];
        var done = 0;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var patientId = await WardAdministration.AddPatientAsync(api, $"Benchmark patient {i}", careTeamId: null, ct);
            var id = string.Create(CultureInfo.InvariantCulture, $"bench-{runId}-{i}");
            var secret = await WardAdministration.AddAssignedDeviceAsync(api, id, "OpenWard benchmark", patientId, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), ct);
            devices[i] = new BenchDevice(id, secret, patientId);
            progress.Report(Interlocked.Increment(ref done));
        });
        return devices;
    }

    /// <summary>How many heart-rate readings the store holds for each device's patient.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountStoredAsync(OpenWardApi api, IReadOnlyList<BenchDevice> devices, CancellationToken cancellationToken)
    {
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (device, ct) =>
        {
            var page = await api.GetAsync($"/api/v1/patients/{device.PatientId}/readings?vital=heart-rate&resolution=1d&limit=5000", ct);
            counts[device.Id] = page.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64());
        });
        return counts;
    }
}
