using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Scenarios;

namespace OpenWard.Simulator.Ward;

/// <summary>
/// Who is on a simulated ward and what devices they have, drawn from a seed: every patient has a
/// pulse oximeter, a wearable band, a blood-pressure cuff, a scale and a thermometer; patients with
/// diabetes (about a third, and anyone scripted for hypoglycaemia) also have a glucose meter.
/// Names are synthetic and, up to the 480 combinations there are, no two patients share one.
/// </summary>
public sealed record WardPlan(int Seed, IReadOnlyList<PlannedPatient> Patients)
{
    /// <summary>
    /// Draws a ward of <paramref name="patients"/> patients. <paramref name="scenarios"/> maps a
    /// patient's index to the scenario keys scripted for them. Device ids start with <paramref name="idPrefix"/>.
    /// Names come from <paramref name="names"/> (by default the demo ward's names for the seed).
    /// </summary>
    public static WardPlan Create(int patients, int seed, string idPrefix, IReadOnlyDictionary<int, IReadOnlyList<string>> scenarios, PatientNames? names = null)
    {
        foreach (var key in scenarios.Values.SelectMany(s => s))
        {
            if (Deterioration.Named(key) is null)
            {
                throw new ArgumentException($"unknown scenario \"{key}\"; known: {string.Join(", ", Deterioration.Keys)}", nameof(scenarios));
            }
        }

        var random = new Random(seed);
        names ??= new PatientNames(seed);
        var list = new List<PlannedPatient>(patients);
        for (var i = 0; i < patients; i++)
        {
            var scripted = scenarios.GetValueOrDefault(i, []);
            var diabetic = random.NextDouble() < 0.33 || scripted.Contains("hypoglycaemia");
            var kinds = new List<DeviceKind>
            {
                DeviceKind.PulseOximeter, DeviceKind.WearableBand, DeviceKind.BloodPressureCuff, DeviceKind.Scale, DeviceKind.Thermometer,
            };
            if (diabetic)
            {
                kinds.Add(DeviceKind.GlucoseMeter);
            }

            if (scripted.Contains("fall"))
            {
                kinds.Add(DeviceKind.EmergencyPendant);
            }

            var name = names.Next();
            var devices = kinds.Select(k => new PlannedDevice(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{idPrefix}{i + 1:D3}-{DeviceCatalogue.IdPrefix(k)}"), k)).ToList();
            list.Add(new PlannedPatient(i, name, diabetic, devices, scripted));
        }

        return new WardPlan(seed, list);
    }

    /// <summary>The demo ward's size by default.</summary>
    public const int DemoPatients = 24;

    /// <summary>The demo ward's seed by default (the README names its scripted patients).</summary>
    public const int DemoSeed = 2026;

    /// <summary>Days of past readings the demo ward's devices upload when it is first seeded, by default.</summary>
    public const int DemoHistoryDays = 3;

    /// <summary>The demo ward's scenarios: one sepsis, one hypoglycaemia, one heart-failure decompensation, one fall.</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<string>> DemoScenarios { get; } = new Dictionary<int, IReadOnlyList<string>>
    {
        [0] = ["sepsis"],
        [1] = ["hypoglycaemia"],
        [2] = ["heart-failure"],
        [3] = ["fall"],
    };
}
