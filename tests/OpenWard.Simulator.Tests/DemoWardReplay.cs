using OpenWard.Core.Alerting;
using OpenWard.Simulator.Ward;

namespace OpenWard.Simulator.Tests;

/// <summary>
/// The demo ward as the server runs it, without a network: its devices stepped every second from a
/// start with days of history, each upload handed to its patient's rules as one delivery, and the
/// rules' timer every 15 seconds — the server's defaults (<see cref="AlertingPolicy"/>, the default
/// limits) — recording when each alert is raised.
/// </summary>
public static class DemoWardReplay
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RuleTick = TimeSpan.FromSeconds(15);

    /// <summary>An alert raised for the patient at <paramref name="Index"/> of the plan, <paramref name="After"/> the start.</summary>
    public sealed record RaisedAlert(int Index, string Condition, AlertSeverity Severity, TimeSpan After);

    /// <summary>Runs the scripted patients of <paramref name="plan"/> from <paramref name="start"/> for <paramref name="duration"/>; every alert raised or raised in severity.</summary>
    public static IReadOnlyList<RaisedAlert> Run(WardPlan plan, DateTimeOffset start, TimeSpan history, TimeSpan duration)
    {
        var scripted = plan with { Patients = [.. plan.Patients.Where(p => p.Scenarios.Count > 0)] };
        var ward = SimulatedWard.Create(scripted, start, history);
        var rules = scripted.Patients.ToDictionary(p => p.Index, _ => new PatientRules(new PatientAlertSettings(), new AlertingPolicy()).WithAllMeasures());
        var owner = scripted.Patients.SelectMany(p => p.Devices.Select(d => (d.Id, p.Index))).ToDictionary(d => d.Id, d => d.Index, StringComparer.Ordinal);
        var open = new Dictionary<(int, string), AlertSeverity>();
        var raised = new List<RaisedAlert>();

        void Take(int index, TimeSpan after, IEnumerable<RuleFinding> findings)
        {
            foreach (var finding in findings)
            {
                if (finding.Severity is not { } severity)
                {
                    open.Remove((index, finding.Condition));
                }
                else if (!open.TryGetValue((index, finding.Condition), out var before) || severity > before)
                {
                    open[(index, finding.Condition)] = severity;
                    raised.Add(new RaisedAlert(index, finding.Condition, severity, after));
                }
            }
        }

        var nextTick = start + RuleTick;
        for (var now = start; now <= start + duration; now += Step)
        {
            foreach (var device in ward.Devices)
            {
                foreach (var upload in device.Step(now))
                {
                    var readings = upload.Select(r => new RuleReading(r.Vital, r.Value, r.Components, r.Time, device.Id)).ToList();
                    var index = owner[device.Id];
                    Take(index, now - start, rules[index].Observe(readings).Findings);
                }
            }

            if (now >= nextTick)
            {
                foreach (var (index, patientRules) in rules)
                {
                    Take(index, now - start, patientRules.Tick(now));
                }

                nextTick += RuleTick;
            }
        }

        return raised;
    }
}
