using OpenWard.Core.Alerting;

namespace OpenWard.Server.Alerts;

/// <summary>
/// The alarm-fatigue measures of a care team's alerts over a period: per rule, how many were raised,
/// how the people who resolved them labelled them, the positive predictive value and the alerts per
/// patient-day. Patient-days are approximated as the patients the caller may see now × the period's
/// length in days (patients who joined or left the team during the period count for all of it).
/// </summary>
public sealed record AlertQuality
{
    /// <summary>The period's start (inclusive): alerts raised from then on count.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>The period's end (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The period's length in days.</summary>
    public required double Days { get; init; }

    /// <summary>The patients counted: those the caller may see.</summary>
    public required int Patients { get; init; }

    /// <summary>Patients × days.</summary>
    public required double PatientDays { get; init; }

    /// <summary>One row per rule that raised an alert in the period, most alerts first.</summary>
    public required IReadOnlyList<RuleQuality> Rules { get; init; }

    /// <summary>Every rule together.</summary>
    public required RuleQuality Total { get; init; }

    /// <summary>Counts each rule's alerts from the store's tallies by condition.</summary>
    /// <param name="from">The period's start.</param>
    /// <param name="to">The period's end.</param>
    /// <param name="patients">How many patients the caller may see.</param>
    /// <param name="tallies">Alerts raised in the period by condition and label, for those patients.</param>
    /// <param name="isDevice">Whether a condition's last part is a device id (such conditions count under their prefix).</param>
    public static AlertQuality Of(DateTimeOffset from, DateTimeOffset to, int patients, IReadOnlyList<ConditionTally> tallies, Func<string, bool> isDevice)
    {
        var days = (to - from).TotalDays;
        var patientDays = patients * days;
        var byRule = tallies.GroupBy(t => AlertRules.Of(t.Condition, isDevice), StringComparer.Ordinal)
            .Select(g => Row(g.Key, AlertRules.Describe(g.Key), g.ToList(), patientDays))
            .OrderByDescending(r => r.Raised).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return new AlertQuality
        {
            From = from,
            To = to,
            Days = days,
            Patients = patients,
            PatientDays = patientDays,
            Rules = byRule,
            Total = Row("all", "All rules", tallies, patientDays),
        };
    }

    private static RuleQuality Row(string rule, string name, IReadOnlyList<ConditionTally> tallies, double patientDays)
    {
        var actionable = tallies.Where(t => t.Actionable == true).Sum(t => t.Count);
        var notActionable = tallies.Where(t => t.Actionable == false).Sum(t => t.Count);
        var raised = tallies.Sum(t => t.Count);
        return new RuleQuality
        {
            Rule = rule,
            Name = name,
            Raised = raised,
            Actionable = actionable,
            NotActionable = notActionable,
            Unlabelled = raised - actionable - notActionable,
            Ppv = actionable + notActionable == 0 ? null : (double)actionable / (actionable + notActionable),
            PerPatientDay = patientDays > 0 ? raised / patientDays : null,
        };
    }
}
