using OpenWard.Core.Alerting;
using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Physiology;
using OpenWard.Simulator.Scenarios;
using OpenWard.Simulator.Ward;

namespace OpenWard.Cli.Evaluate;

/// <summary>
/// Replays a simulated ward through the rule engine, offline: stable patients and patients with a
/// labelled deterioration (sepsis, hypoglycaemia, heart-failure decompensation) starting at a
/// seeded random time, every device's readings fed in time order to each rule set under test.
/// </summary>
public static class ScenarioReplay
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    /// <summary>Replays <paramref name="patients"/> patients for <paramref name="days"/> days; every third patient deteriorates.</summary>
    public static IReadOnlyList<ReplayedPatient> Run(int patients, int days, int seed, IReadOnlyList<RuleSet> ruleSets, Action<int>? progress = null)
    {
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddDays(days);
        var random = new Random(seed);
        var scripted = new[] { "sepsis", "hypoglycaemia", "heart-failure" };
        var plan = WardPlan.Create(patients, seed, "eval-", Enumerable.Range(0, patients)
            .Where(i => i % 3 == 0)
            .ToDictionary(i => i, i => (IReadOnlyList<string>)[scripted[(i / 3) % scripted.Length]]));
        var results = new List<ReplayedPatient>();
        foreach (var planned in plan.Patients)
        {
            var deterioration = planned.Scenarios.Count == 0 ? null : Timed(planned.Scenarios[0], random, days);
            var patientSeed = seed * 7919 + planned.Index;
            var physiology = new PatientPhysiology(PatientBaseline.Draw(new Random(patientSeed), planned.Diabetic), deterioration is null ? [] : [deterioration], start, patientSeed);
            var devices = planned.Devices
                .Select(d => new SimulatedDevice(d.Id, d.Kind, physiology, start, TimeSpan.Zero, StableHash.Of(d.Id, seed)) { DropoutsPerMinute = 0 })
                .ToList();
            var rules = ruleSets.Select(r => (Set: r, Rules: r.Create(), Open: new HashSet<string>(StringComparer.Ordinal), Raised: new List<DateTimeOffset>())).ToList();
            for (var now = start; now < end; now += Step)
            {
                var readings = devices.SelectMany(d => d.Step(now)).SelectMany(upload => upload).OrderBy(r => r.Time);
                foreach (var reading in readings)
                {
                    foreach (var (set, patientRules, open, raised) in rules)
                    {
                        Count(set, patientRules.Observe(reading.Vital, reading.Value, reading.Components, reading.Time).Findings, open, raised);
                    }
                }

                foreach (var (set, patientRules, open, raised) in rules)
                {
                    Count(set, patientRules.Tick(now), open, raised);
                }
            }

            results.Add(new ReplayedPatient(
                deterioration?.Key,
                deterioration is null ? null : start + deterioration.Onset,
                deterioration is null ? null : start + deterioration.Onset + deterioration.Duration,
                rules.ToDictionary(r => r.Set.Name, r => (IReadOnlyList<DateTimeOffset>)r.Raised)));
            progress?.Invoke(results.Count);
        }

        return results;
    }

    /// <summary>A scenario starting at a random time in the first two thirds of the replay.</summary>
    private static Deterioration Timed(string key, Random random, int days)
    {
        var onset = TimeSpan.FromHours(6 + random.NextDouble() * (days * 24 * 2 / 3.0 - 6));
        return key switch
        {
            "sepsis" => new Sepsis(onset, TimeSpan.FromHours(6)),
            "hypoglycaemia" => new Hypoglycaemia(onset, TimeSpan.FromMinutes(40)),
            _ => new HeartFailureDecompensation(onset, TimeSpan.FromDays(Math.Min(3, days - onset.TotalDays))),
        };
    }

    /// <summary>Counts each condition's raising once, until it clears.</summary>
    private static void Count(RuleSet set, IReadOnlyList<RuleFinding> findings, HashSet<string> open, List<DateTimeOffset> raised)
    {
        foreach (var finding in findings.Where(f => set.Counts(f.Condition)))
        {
            if (finding.Cleared)
            {
                open.Remove(finding.Condition);
            }
            else if (open.Add(finding.Condition))
            {
                raised.Add(finding.Time);
            }
        }
    }
}
