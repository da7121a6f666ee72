namespace OpenWard.Server.Audit;

/// <summary>
/// The patient a request read, for the audit trail, when its route does not name them: a FHIR search
/// names the patient in its parameters, a read of an Observation through the reading's attribution.
/// </summary>
public static class AuditedPatient
{
    private const string Key = "openward:audited-patient";

    /// <summary>Records that the request is about this patient.</summary>
    public static void Set(HttpContext context, string patientId) => context.Items[Key] = patientId;

    /// <summary>The patient the request's route names, or the one it recorded, or null.</summary>
    public static string? Of(HttpContext context) => context.GetRouteValue("patientId") as string ?? context.Items[Key] as string;
}
