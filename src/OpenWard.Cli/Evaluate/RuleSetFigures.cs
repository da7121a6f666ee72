namespace OpenWard.Cli.Evaluate;

/// <summary>What one rule set did on a dataset (figures that need labels are null without them).</summary>
public sealed record RuleSetFigures
{
    /// <summary>The rule set's name.</summary>
    public required string RuleSet { get; init; }

    /// <summary>Every alert it raised.</summary>
    public required int Alerts { get; init; }

    /// <summary>Alerts per patient-day over all patients.</summary>
    public required double AlertsPerPatientDay { get; init; }

    /// <summary>Labelled deteriorations it detected (an alert between onset and an hour after the event).</summary>
    public int? Detected { get; init; }

    /// <summary>Labelled deteriorations in the dataset.</summary>
    public int? Deteriorations { get; init; }

    /// <summary>Detected ÷ deteriorations.</summary>
    public double? Sensitivity { get; init; }

    /// <summary>Detected and labelled, by scenario (subtle ones apart).</summary>
    public IReadOnlyDictionary<string, (int Detected, int Of)>? ByScenario { get; init; }

    /// <summary>Lead time (event minus the first detecting alert), hours: median.</summary>
    public double? MedianLeadHours { get; init; }

    /// <summary>Lead time, hours: first quartile.</summary>
    public double? LeadHoursQ1 { get; init; }

    /// <summary>Lead time, hours: third quartile.</summary>
    public double? LeadHoursQ3 { get; init; }

    /// <summary>Alerts on stable patients, or on a deteriorating patient outside every deterioration (before onset).</summary>
    public int? FalseAlerts { get; init; }

    /// <summary>False or non-actionable alerts per patient-day.</summary>
    public double? FalseAlertsPerPatientDay { get; init; }

    /// <summary>Alerts on stable patients per stable patient-day (the target measure).</summary>
    public double? AlertsPerStablePatientDay { get; init; }

    /// <summary>Positive predictive value: detecting alerts ÷ (detecting + false) alerts.</summary>
    public double? PositivePredictiveValue { get; init; }

    /// <summary>All alerts ÷ detected deteriorations.</summary>
    public double? AlertsPerDetection { get; init; }
}
