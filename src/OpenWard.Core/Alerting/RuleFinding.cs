namespace OpenWard.Core.Alerting;

/// <summary>
/// What a rule concluded about one condition of a patient: that it holds now (with a severity and
/// what showed it), or that it has cleared (<see cref="Severity"/> null).
/// </summary>
/// <param name="Condition">The condition's stable key, e.g. <c>threshold:heart-rate:high</c>; one open alert per patient and condition.</param>
/// <param name="Severity">How severe it is now; null when the condition has cleared.</param>
/// <param name="Summary">What a clinician reads, e.g. "Heart rate 134 /min above 120 /min".</param>
/// <param name="Time">The time of the evidence.</param>
public sealed record RuleFinding(string Condition, AlertSeverity? Severity, string Summary, DateTimeOffset Time)
{
    /// <summary>Whether this finding says the condition cleared.</summary>
    public bool Cleared => Severity is null;
}
