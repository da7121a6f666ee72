using System.Globalization;
using System.Text;

namespace OpenWard.Cli.Evaluate;

/// <summary>
/// The evaluation's figures per rule set: sensitivity (deteriorations with an alert between onset
/// and one hour after the labelled event), median lead time (event minus first such alert), and
/// false or non-actionable alerts per patient-day (alerts on stable patients, or before onset).
/// </summary>
public static class EvaluationReport
{
    /// <summary>The report as a Markdown table.</summary>
    public static string Markdown(IReadOnlyList<ReplayedPatient> patients, IReadOnlyList<RuleSet> ruleSets, int days)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{patients.Count} patients × {days} days, {patients.Count(p => p.Scenario is not null)} labelled deteriorations ({string.Join(", ", patients.Where(p => p.Scenario is not null).GroupBy(p => p.Scenario).Select(g => $"{g.Count()} {g.Key}"))})");
        text.AppendLine();
        text.AppendLine("| rule set | sensitivity | detected, by scenario | median lead time | false or non-actionable alerts per patient-day |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var set in ruleSets)
        {
            var deteriorating = patients.Where(p => p.Scenario is not null).ToList();
            var leads = new List<TimeSpan>();
            var detected = new List<string>();
            foreach (var patient in deteriorating)
            {
                var detecting = patient.Alerts[set.Name].Where(t => t >= patient.Onset && t <= patient.Event!.Value.AddHours(1)).ToList();
                if (detecting.Count > 0)
                {
                    leads.Add(patient.Event!.Value - detecting.Min());
                    detected.Add(patient.Scenario!);
                }
            }

            var byScenario = string.Join(", ", deteriorating.GroupBy(p => p.Scenario).Select(g => $"{g.Key} {detected.Count(d => d == g.Key)}/{g.Count()}"));

            var falseAlerts = patients.Sum(p => p.Alerts[set.Name].Count(t => p.Onset is null || t < p.Onset));
            var median = leads.Count == 0 ? "—" : Describe(leads.Order().ElementAt(leads.Count / 2));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {set.Name} | {leads.Count}/{deteriorating.Count} ({100.0 * leads.Count / Math.Max(1, deteriorating.Count):0}%) | {byScenario} | {median} | {falseAlerts / (double)(patients.Count * days):0.00} |");
        }

        return text.ToString();
    }

    private static string Describe(TimeSpan span) => span < TimeSpan.Zero
        ? "after the event"
        : span.TotalHours >= 2 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.0} h") : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min");
}
