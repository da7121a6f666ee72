using System.Text.Json.Serialization;

namespace OpenWard.Server.Alerts;

/// <summary>One rule's alerts raised in a period, how the people who resolved them labelled them, and what that makes of the rule.</summary>
public sealed record RuleQuality
{
    /// <summary>The rule: an alert's condition, per-device suffix removed (<c>threshold:spo2:low</c>, <c>device-offline</c>); <c>all</c> on the total.</summary>
    public required string Rule { get; init; }

    /// <summary>The rule as clinicians read it.</summary>
    public required string Name { get; init; }

    /// <summary>Alerts raised in the period.</summary>
    public required int Raised { get; init; }

    /// <summary>Of those, resolved by a person who found them actionable.</summary>
    public required int Actionable { get; init; }

    /// <summary>Of those, resolved by a person who found them not actionable.</summary>
    public required int NotActionable { get; init; }

    /// <summary>Of those, not labelled: still open, or resolved by OpenWard when the condition cleared.</summary>
    public required int Unlabelled { get; init; }

    /// <summary>Positive predictive value: actionable ÷ labelled; null when none was labelled.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required double? Ppv { get; init; }

    /// <summary>Alerts raised per patient-day; null when there were no patient-days.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required double? PerPatientDay { get; init; }
}
