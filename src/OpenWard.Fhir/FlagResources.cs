using Hl7.Fhir.Model;
using OpenWard.Core.Alerting;
using OpenWard.Core.Alerts;

namespace OpenWard.Fhir;

/// <summary>
/// An alert as a FHIR R4 Flag: active while raised or acknowledged, inactive once resolved, its period
/// from raising to resolution, its condition as the code and its severity as the R4 flag-priority
/// extension. A Flag rather than a DetectedIssue: an alert warns whoever looks after the patient that
/// something needs attention now, which is what a Flag is for; a DetectedIssue is about a proposed
/// or ongoing clinical action (an interaction, a duplicate therapy), which an alert is not.
/// </summary>
public static class FlagResources
{
    /// <summary>The R4 core extension that carries a Flag's priority.</summary>
    public const string PriorityExtension = "http://hl7.org/fhir/StructureDefinition/flag-priority";

    private const string PrioritySystem = "http://hl7.org/fhir/flag-priority-code";

    /// <summary>The Flag of an alert with this id, patient and condition.</summary>
    public static Flag From(string id, string patientId, string condition, AlertStatus alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var flag = new Flag
        {
            Id = id,
            Meta = new Meta { LastUpdated = alert.UpdatedAt },
            Status = alert.State == AlertState.Resolved ? Flag.FlagStatus.Inactive : Flag.FlagStatus.Active,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/flag-category", "clinical", "Clinical", "Clinical")],
            Code = new CodeableConcept(FhirSystems.OpenWardAlertCondition, condition, null, alert.Summary),
            Subject = new ResourceReference("Patient/" + patientId),
            Period = new Period(new FhirDateTime(alert.RaisedAt.ToUniversalTime()), alert.ResolvedAt is { } end ? new FhirDateTime(end.ToUniversalTime()) : null),
        };
        var (code, display) = alert.Severity switch
        {
            AlertSeverity.Critical => ("PH", "High priority"),
            AlertSeverity.Urgent => ("PM", "Medium priority"),
            _ => ("PL", "Low priority"),
        };
        flag.Extension.Add(new Extension(PriorityExtension, new CodeableConcept(PrioritySystem, code, display, display)));
        return flag;
    }
}
