using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Physiology;
using OpenWard.Simulator.Scenarios;

namespace OpenWard.Simulator.Ward;

/// <summary>A ward plan brought to life from <c>start</c>: each patient's physiology and each device's behaviour.</summary>
public sealed class SimulatedWard
{
    private SimulatedWard(IReadOnlyList<PatientPhysiology> patients, IReadOnlyList<SimulatedDevice> devices)
    {
        Patients = patients;
        Devices = devices;
    }

    /// <summary>Each patient's physiology, in plan order.</summary>
    public IReadOnlyList<PatientPhysiology> Patients { get; }

    /// <summary>Every device of every patient.</summary>
    public IReadOnlyList<SimulatedDevice> Devices { get; }

    /// <summary>
    /// Builds the ward; devices that keep history upload the last <paramref name="history"/> at the
    /// first step. With <paramref name="dropouts"/>, the devices of patients without a script now and
    /// then lose their connection for a few minutes.
    /// </summary>
    public static SimulatedWard Create(WardPlan plan, DateTimeOffset start, TimeSpan history, bool dropouts = true)
    {
        var patients = new List<PatientPhysiology>();
        var devices = new List<SimulatedDevice>();
        foreach (var planned in plan.Patients)
        {
            var patientSeed = plan.Seed * 7919 + planned.Index;
            var baseline = PatientBaseline.Draw(new Random(patientSeed), planned.Diabetic);
            var scenarios = planned.Scenarios.Select(key => Deterioration.Named(key)!).ToList();
            var physiology = new PatientPhysiology(baseline, scenarios, start, patientSeed);
            patients.Add(physiology);
            foreach (var device in planned.Devices)
            {
                devices.Add(new SimulatedDevice(device.Id, device.Kind, physiology, start, history, StableHash.Of(device.Id, plan.Seed))
                {
                    // A scripted patient's devices keep their connection, so that their alerts come when the scenario says.
                    DropoutsPerMinute = dropouts && scenarios.Count == 0 ? 1.0 / 360 : 0,
                });
            }
        }

        return new SimulatedWard(patients, devices);
    }
}
