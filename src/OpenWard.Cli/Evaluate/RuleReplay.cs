using OpenWard.Core.Alerting;

namespace OpenWard.Cli.Evaluate;

/// <summary>
/// Replays one patient's readings through a rule engine as the live server would see them: each
/// reading in time order, and the rules' timer once a minute of data time in between and for two
/// hours after the last reading (so hold-offs expire, overdue readings are noticed across gaps, and
/// what the timer judges — a spot reading, a NEWS2 level that held, the last hour of a wearable — is
/// judged after the data ends too, as the live server would).
/// </summary>
public static class RuleReplay
{
    /// <summary>How often the rules' timer runs, in data time.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);

    /// <summary>How long the timer keeps running after the last reading.</summary>
    private static readonly TimeSpan Afterwards = TimeSpan.FromHours(2);

    /// <summary>Every alert raised: a condition counts once from when it is raised until it clears.</summary>
    public static IReadOnlyList<ReplayedAlert> Run(string patient, IReadOnlyList<RuleReading> readings, PatientRules rules)
    {
        var raised = new List<ReplayedAlert>();
        var open = new HashSet<string>(StringComparer.Ordinal);
        if (readings.Count == 0)
        {
            return raised;
        }

        var nextTick = Ceiling(readings[0].Time);
        foreach (var reading in readings)
        {
            for (; nextTick <= reading.Time; nextTick += Tick)
            {
                Count(patient, rules.Tick(nextTick), open, raised);
            }

            Count(patient, rules.Observe([reading]).Findings, open, raised);
        }

        for (var end = readings[^1].Time + Afterwards; nextTick <= end; nextTick += Tick)
        {
            Count(patient, rules.Tick(nextTick), open, raised);
        }

        return raised;
    }

    private static void Count(string patient, IReadOnlyList<RuleFinding> findings, HashSet<string> open, List<ReplayedAlert> raised)
    {
        foreach (var finding in findings)
        {
            if (finding.Severity is not { } severity)
            {
                open.Remove(finding.Condition);
            }
            else if (open.Add(finding.Condition))
            {
                raised.Add(new ReplayedAlert(patient, finding.Time, finding.Condition, severity));
            }
        }
    }

    private static DateTimeOffset Ceiling(DateTimeOffset time) =>
        new(time.UtcTicks + (Tick.Ticks - time.UtcTicks % Tick.Ticks) % Tick.Ticks, TimeSpan.Zero);
}
