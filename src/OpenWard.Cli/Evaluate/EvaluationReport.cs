using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenWard.Core.Alerting;

namespace OpenWard.Cli.Evaluate;

/// <summary>
/// The evaluation's figures per rule set. With labels: sensitivity (deteriorations with an alert
/// between onset and one hour after the labelled event), by scenario; lead time (event minus the
/// first such alert: median and interquartile range); false or non-actionable alerts (on stable
/// patients, or before a deterioration's onset) per patient-day; alerts per stable patient-day;
/// positive predictive value; alerts per detected deterioration. Alerts after a deterioration's
/// window (the patient is being treated) count in the burden but neither as detecting nor as false.
/// </summary>
public static class EvaluationReport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The figures of each rule set.</summary>
    public static IReadOnlyList<RuleSetFigures> Figures(IReadOnlyList<ReplayedPatient> patients, IReadOnlyList<RuleSet> ruleSets) =>
        [.. ruleSets.Select(set => Figure(patients, set))];

    private static RuleSetFigures Figure(IReadOnlyList<ReplayedPatient> patients, RuleSet set)
    {
        var days = patients.Sum(p => p.Days);
        var alerts = patients.ToDictionary(p => p.Id, p => p.AlertsByEngine[set.Engine.Name].Where(a => set.Counts(a.Rule)).ToList());
        var total = alerts.Values.Sum(a => a.Count);
        var figures = new RuleSetFigures { RuleSet = set.Name, Alerts = total, AlertsPerPatientDay = Ratio(total, days) ?? 0 };
        if (patients.Any(p => p.Label is null))
        {
            return figures;
        }

        var leads = new List<double>();
        var byScenario = new SortedDictionary<string, (int Detected, int Of)>(StringComparer.Ordinal);
        int detected = 0, deteriorations = 0, detecting = 0, falseAlerts = 0, stableAlerts = 0;
        foreach (var patient in patients)
        {
            var raised = alerts[patient.Id];
            var label = patient.Label!;
            if (label.Stable || label.Deteriorations.Count == 0)
            {
                stableAlerts += raised.Count;
                falseAlerts += raised.Count;
                continue;
            }

            foreach (var deterioration in label.Deteriorations)
            {
                deteriorations++;
                var first = raised.Where(a => deterioration.IsDetectedBy(a.Time)).Select(a => (DateTimeOffset?)a.Time).Min();
                var (seen, of) = byScenario.GetValueOrDefault(deterioration.Group);
                byScenario[deterioration.Group] = (seen + (first is null ? 0 : 1), of + 1);
                if (first is { } time)
                {
                    detected++;
                    leads.Add((deterioration.Event - time).TotalHours);
                }
            }

            detecting += raised.Count(a => label.Deteriorations.Any(d => d.IsDetectedBy(a.Time)));
            falseAlerts += raised.Count(a => !label.Deteriorations.Any(d => a.Time >= d.Onset));
        }

        var stableDays = patients.Where(p => p.Label!.Stable || p.Label.Deteriorations.Count == 0).Sum(p => p.Days);
        leads.Sort();
        return figures with
        {
            Detected = detected,
            Deteriorations = deteriorations,
            Sensitivity = Ratio(detected, deteriorations),
            ByScenario = byScenario,
            MedianLeadHours = Quantile(leads, 0.5),
            LeadHoursQ1 = Quantile(leads, 0.25),
            LeadHoursQ3 = Quantile(leads, 0.75),
            FalseAlerts = falseAlerts,
            FalseAlertsPerPatientDay = Ratio(falseAlerts, days),
            AlertsPerStablePatientDay = Ratio(stableAlerts, stableDays),
            PositivePredictiveValue = Ratio(detecting, detecting + falseAlerts),
            AlertsPerDetection = Ratio(total, detected),
        };
    }

    /// <summary>The report as Markdown: what was replayed, one row per rule set, and where the live rules' alerts came from.</summary>
    public static string Markdown(IReadOnlyList<ReplayedPatient> patients, IReadOnlyList<RuleSetFigures> figures, EvaluationDataset dataset)
    {
        var text = new StringBuilder();
        var labelled = patients.All(p => p.Label is not null);
        var deteriorations = patients.Where(p => p.Label is not null).SelectMany(p => p.Label!.Deteriorations).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"{patients.Count} patients, {patients.Sum(p => p.Days):0.0} patient-days, {patients.Sum(p => dataset.Readings[p.Id].Count):N0} readings ({dataset.RefusedLines:N0} refused, {dataset.Duplicates:N0} duplicates)");
        text.AppendLine(labelled
            ? $"{deteriorations.Count} labelled deteriorations ({string.Join(", ", deteriorations.GroupBy(d => d.Group).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"))}), {patients.Count(p => p.Label!.Stable || p.Label.Deteriorations.Count == 0)} stable patients"
            : "no labels.json: alert counts only");
        text.AppendLine();
        if (labelled)
        {
            text.AppendLine("| rule set | sensitivity | detected, by scenario | lead time, median (IQR) | false alerts per patient-day | alerts per stable patient-day | PPV | alerts per detection |");
            text.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var f in figures)
            {
                var scenarios = string.Join(", ", f.ByScenario!.Select(s => $"{s.Key} {s.Value.Detected}/{s.Value.Of}"));
                var lead = f.MedianLeadHours is { } median ? $"{median:0.0} h ({f.LeadHoursQ1:0.0}–{f.LeadHoursQ3:0.0})" : "—";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {f.RuleSet} | {f.Detected}/{f.Deteriorations} ({Percent(f.Sensitivity)}) | {scenarios} | {lead} | {f.FalseAlertsPerPatientDay:0.00} | {f.AlertsPerStablePatientDay:0.00} | {Percent(f.PositivePredictiveValue)} | {f.AlertsPerDetection?.ToString("0.0", CultureInfo.InvariantCulture) ?? "—"} |");
            }
        }
        else
        {
            text.AppendLine("| rule set | alerts | alerts per patient-day |");
            text.AppendLine("|---|---|---|");
            foreach (var f in figures)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {f.RuleSet} | {f.Alerts} | {f.AlertsPerPatientDay:0.00} |");
            }
        }

        text.AppendLine();
        text.AppendLine("Alerts of OpenWard (as it runs), by rule:");
        text.AppendLine();
        text.AppendLine(labelled ? "| rule | alerts | on stable patients | detecting |" : "| rule | alerts |");
        text.AppendLine(labelled ? "|---|---|---|---|" : "|---|---|");
        foreach (var rule in ByRule(patients, dataset))
        {
            text.AppendLine(labelled ? $"| {rule.Rule} | {rule.Alerts} | {rule.OnStable} | {rule.Detecting} |" : $"| {rule.Rule} | {rule.Alerts} |");
        }

        foreach (var example in dataset.RefusalExamplesSeen)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"refused: {example}");
        }

        return text.ToString();
    }

    /// <summary>The report as JSON: the figures of each rule set and the live rules' alerts by rule.</summary>
    public static string JsonReport(IReadOnlyList<ReplayedPatient> patients, IReadOnlyList<RuleSetFigures> figures, EvaluationDataset dataset) =>
        JsonSerializer.Serialize(new
        {
            patients = patients.Count,
            patientDays = patients.Sum(p => p.Days),
            readings = patients.Sum(p => dataset.Readings[p.Id].Count),
            refusedLines = dataset.RefusedLines,
            duplicates = dataset.Duplicates,
            ruleSets = figures.Select(f => new
            {
                ruleSet = f.RuleSet,
                alerts = f.Alerts,
                alertsPerPatientDay = f.AlertsPerPatientDay,
                detected = f.Detected,
                deteriorations = f.Deteriorations,
                sensitivity = f.Sensitivity,
                byScenario = f.ByScenario?.ToDictionary(s => s.Key, s => new { detected = s.Value.Detected, of = s.Value.Of }),
                leadTimeHours = f.MedianLeadHours is null ? null : new { median = f.MedianLeadHours, q1 = f.LeadHoursQ1, q3 = f.LeadHoursQ3 },
                falseAlerts = f.FalseAlerts,
                falseAlertsPerPatientDay = f.FalseAlertsPerPatientDay,
                alertsPerStablePatientDay = f.AlertsPerStablePatientDay,
                positivePredictiveValue = f.PositivePredictiveValue,
                alertsPerDetection = f.AlertsPerDetection,
            }),
            byRule = ByRule(patients, dataset),
        }, Json);

    /// <summary>The live rules' alerts by rule (a condition; those kept per device counted together), most first.</summary>
    private static IReadOnlyList<RuleCount> ByRule(IReadOnlyList<ReplayedPatient> patients, EvaluationDataset dataset) =>
    [
        .. patients
            .SelectMany(p => p.AlertsByEngine[RuleEngine.Live.Name].Select(a => (Patient: p, Alert: a)))
            .GroupBy(x => AlertRules.Of(x.Alert.Rule, dataset.Devices.Contains))
            .Select(g => new RuleCount(
                g.Key,
                g.Count(),
                g.Count(x => x.Patient.Label is { } l && (l.Stable || l.Deteriorations.Count == 0)),
                g.Count(x => x.Patient.Label is { } l && l.Deteriorations.Any(d => d.IsDetectedBy(x.Alert.Time)))))
            .OrderByDescending(r => r.Alerts)
            .ThenBy(r => r.Rule, StringComparer.Ordinal),
    ];

    private static double? Ratio(double part, double whole) => whole > 0 ? part / whole : null;

    private static string Percent(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v * 100:0}%") : "—";

    private static double? Quantile(List<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var position = q * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    private sealed record RuleCount(string Rule, int Alerts, int OnStable, int Detecting);
}
