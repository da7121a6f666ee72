namespace OpenWard.Core.Alerting;

/// <summary>How urgently an alert needs a clinician, lowest first.</summary>
public enum AlertSeverity
{
    /// <summary>Outside the patient's usual range: review at the next opportunity.</summary>
    Warning = 1,

    /// <summary>Needs a clinician's review soon (e.g. NEWS2 medium).</summary>
    Urgent = 2,

    /// <summary>Needs a clinician now (critical value, NEWS2 high, emergency call, fall).</summary>
    Critical = 3,
}
