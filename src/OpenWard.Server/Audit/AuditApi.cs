using OpenWard.Fhir;
using OpenWard.Server.Access;

namespace OpenWard.Server.Audit;

/// <summary>
/// The audit trail read back: <c>GET /fhir/AuditEvent?patient={id}&amp;_count=N</c> as FHIR R4
/// AuditEvents for the privacy officer (administrators). Who accessed a record, for the patient and
/// their care team, is <see cref="Patients.AccessLogApi"/>.
/// </summary>
public static class AuditApi
{
    /// <summary>Maps the audit endpoints.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fhir/AuditEvent", async (string? patient, int? _count, AuditQueries audit, CancellationToken ct) =>
                Results.Text(FhirAuditEvents.Bundle(await audit.ReadAsync(patient, Math.Clamp(_count ?? 100, 1, 1000), ct)), FhirResponses.MediaType))
            .RequireAuthorization(AccessPolicies.ManageFleet)
            .WithTags("FHIR");
        return app;
    }
}
