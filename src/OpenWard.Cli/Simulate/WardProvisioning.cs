using OpenWard.Cli.Api;
using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Mqtt;
using OpenWard.Simulator.Ward;

namespace OpenWard.Cli.Simulate;

/// <summary>Creates a simulated ward's patients and devices on a server through its admin API.</summary>
public static class WardProvisioning
{
    /// <summary>Adds each patient, registers and assigns each device, and returns the device credentials.</summary>
    public static async Task<IReadOnlyDictionary<string, DeviceCredential>> ProvisionAsync(
        OpenWardApi api, WardPlan plan, DateTimeOffset assignedFrom, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var credentials = new System.Collections.Concurrent.ConcurrentDictionary<string, DeviceCredential>();
        var done = 0;
        await Parallel.ForEachAsync(plan.Patients, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (patient, ct) =>
        {
            var patientId = await WardAdministration.AddPatientAsync(api, patient.Name, ct);
            foreach (var device in patient.Devices)
            {
                var secret = await WardAdministration.AddAssignedDeviceAsync(api, device.Id, DeviceCatalogue.Model(device.Kind), patientId, assignedFrom, ct);
                credentials[device.Id] = new DeviceCredential(device.Id, secret);
            }

            progress.Report(Interlocked.Increment(ref done));
        });
        return credentials;
    }
}
