using System.Diagnostics;
using OpenWard.Cli.Evaluate;
using OpenWard.Core.Alerting;

namespace OpenWard.Cli.Bench;

/// <summary>
/// The rule engine's own cost, offline: every patient of a dataset replayed through the live rules
/// with the personalised early warning on and with it off, in alternating rounds on one thread, so
/// that both are measured in the same minutes of the same machine.
/// </summary>
public static class RuleEngineBenchmark
{
    /// <summary>Replays the dataset <paramref name="rounds"/> times with the early warning on and off, alternately.</summary>
    public static (RuleEngineFigures On, RuleEngineFigures Off) Run(EvaluationDataset dataset, int rounds)
    {
        var patients = dataset.Readings.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var readings = patients.Sum(p => (long)p.Value.Count);
        var days = patients.Sum(p => (p.Value[^1].Time - p.Value[0].Time).TotalDays);
        Replay(dataset, patients, earlyWarning: true); // compiles the hot paths before anything is timed
        var totals = new Dictionary<bool, (double Cpu, double Elapsed)> { [true] = (0, 0), [false] = (0, 0) };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var earlyWarning in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                Replay(dataset, patients, earlyWarning);
                var spent = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                var (cpuTotal, elapsedTotal) = totals[earlyWarning];
                totals[earlyWarning] = (cpuTotal + spent.TotalSeconds, elapsedTotal + clock.Elapsed.TotalSeconds);
            }
        }

        RuleEngineFigures Of(bool on) => new(on, readings * rounds, days * rounds, totals[on].Cpu, totals[on].Elapsed);
        return (Of(true), Of(false));
    }

    private static void Replay(EvaluationDataset dataset, List<KeyValuePair<string, IReadOnlyList<RuleReading>>> patients, bool earlyWarning)
    {
        var policy = new AlertingPolicy { EarlyWarning = earlyWarning };
        foreach (var (id, readings) in patients)
        {
            RuleReplay.Run(id, readings, new PatientRules(dataset.SettingsOf(id), policy));
        }
    }
}
