using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Physiology;
using OpenWard.Simulator.Scenarios;

namespace OpenWard.Simulator.Ward;

/// <summary>
/// Writes a simulated ward as an evaluation dataset (docs/alerting.md): <c>readings.ndjson</c>, every
/// device's readings with the patient and device they belong to, and <c>labels.json</c>. Every third
/// patient has a labelled deterioration — sepsis over 6 hours, hypoglycaemia over 40 minutes, or
/// heart-failure weight gain over up to 3 days — starting at a seeded random time after the first
/// six hours; the others stay stable. The same seed gives the same dataset.
/// </summary>
public static class WardExport
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    // Unwell patients of the dataset check themselves every 15 minutes: a day at home, not the demo's compressed minutes.
    private static readonly TimeSpan UnwellRecheck = TimeSpan.FromMinutes(15);

    /// <summary>The first instant of every exported ward.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="patients"/> patients × <paramref name="days"/> days into <paramref name="directory"/>; returns the readings written.</summary>
    public static long Write(string directory, int patients, int days, int seed, Action<int>? progress = null)
    {
        Directory.CreateDirectory(directory);
        var end = Start.AddDays(days);
        var random = new Random(seed);
        var scripted = new[] { "sepsis", "hypoglycaemia", "heart-failure" };
        var plan = WardPlan.Create(patients, seed, "eval-", Enumerable.Range(0, patients)
            .Where(i => i % 3 == 0)
            .ToDictionary(i => i, i => (IReadOnlyList<string>)[scripted[(i / 3) % scripted.Length]]));
        var labels = new Dictionary<string, object>(StringComparer.Ordinal);
        long written = 0;
        using var readings = new StreamWriter(Path.Combine(directory, "readings.ndjson"), false, new UTF8Encoding(false), 1 << 20);
        foreach (var planned in plan.Patients)
        {
            var patientId = string.Create(CultureInfo.InvariantCulture, $"eval-{planned.Index + 1:D3}");
            var deterioration = planned.Scenarios.Count == 0 ? null : Timed(planned.Scenarios[0], random, days);
            var patientSeed = seed * 7919 + planned.Index;
            var physiology = new PatientPhysiology(PatientBaseline.Draw(new Random(patientSeed), planned.Diabetic), deterioration is null ? [] : [deterioration], Start, patientSeed);
            var devices = planned.Devices
                .Select(d => new SimulatedDevice(d.Id, d.Kind, physiology, Start, TimeSpan.Zero, StableHash.Of(d.Id, seed)) { DropoutsPerMinute = 0 })
                .ToList();
            for (var now = Start; now < end; now += Step)
            {
                foreach (var device in devices)
                {
                    foreach (var reading in device.Step(now).SelectMany(upload => upload))
                    {
                        readings.WriteLine(Line(patientId, device.Id, reading));
                        written++;
                    }
                }
            }

            labels[patientId] = deterioration is null
                ? new { stable = true, profile = planned.Diabetic ? "simulated, diabetic" : "simulated" }
                : new
                {
                    stable = false,
                    profile = planned.Diabetic ? "simulated, diabetic" : "simulated",
                    deteriorations = new[]
                    {
                        new { scenario = deterioration.Key, onset = Start + deterioration.Onset, @event = Start + deterioration.Onset + deterioration.Duration, subtle = false },
                    },
                };
            progress?.Invoke(planned.Index + 1);
        }

        File.WriteAllText(Path.Combine(directory, "labels.json"), JsonSerializer.Serialize(labels, new JsonSerializerOptions { WriteIndented = true }));
        return written;
    }

    /// <summary>A scenario starting at a random time in the first two thirds of the ward's days (after the first six hours).</summary>
    private static Deterioration Timed(string key, Random random, int days)
    {
        var onset = TimeSpan.FromHours(6 + random.NextDouble() * (days * 24 * 2 / 3.0 - 6));
        return key switch
        {
            "sepsis" => new Sepsis(onset, TimeSpan.FromHours(6)) { Recheck = UnwellRecheck },
            "hypoglycaemia" => new Hypoglycaemia(onset, TimeSpan.FromMinutes(40)) { Recheck = UnwellRecheck },
            _ => new HeartFailureDecompensation(onset, TimeSpan.FromDays(Math.Min(3, days - onset.TotalDays))),
        };
    }

    private static string Line(string patientId, string deviceId, SimulatedReading reading)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("patient", patientId);
            json.WriteString("device", deviceId);
            DeviceJson.WriteReading(json, reading);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
