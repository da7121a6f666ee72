using OpenWard.Cli.Api;
using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Mqtt;
using OpenWard.Simulator.Ward;

namespace OpenWard.Cli.Simulate;

/// <summary>Creates a simulated ward's patients and devices on a server through its admin API.</summary>
public static class WardProvisioning
{
    /// <summary>Adds each patient on the care team, registers and assigns each device, and returns the patients' ids and the device credentials.</summary>
    public static async Task<ProvisionedWard> ProvisionAsync(
        OpenWardApi api, WardPlan plan, string careTeamId, DateTimeOffset assignedFrom, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var patientIds = new string[plan.Patients.Count];
        var credentials = new System.Collections.Concurrent.ConcurrentDictionary<string, DeviceCredential>();
        var done = 0;
        await Parallel.ForEachAsync(plan.Patients, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (patient, ct) =>
        {
            var patientId = await WardAdministration.AddPatientAsync(api, patient.Name, careTeamId, ct);
            patientIds[patient.Index] = patientId;
            foreach (var device in patient.Devices)
            {
                var secret = await WardAdministration.AddAssignedDeviceAsync(api, device.Id, DeviceCatalogue.Model(device.Kind), patientId, assignedFrom, ct);
                credentials[device.Id] = new DeviceCredential(device.Id, secret);
            }

            progress.Report(Interlocked.Increment(ref done));
        });
        return new ProvisionedWard(patientIds, credentials);
    }
}
