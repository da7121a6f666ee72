using OpenWard.Fhir;
using OpenWard.Server.Security;

namespace OpenWard.Server.Audit;

/// <summary>
/// <c>GET /fhir/AuditEvent?patient={id}&amp;_count=N</c>: the audit trail as FHIR R4 AuditEvents,
/// newest first — who read or changed a patient's data, when, from where, and how it ended.
/// Administrators only until a privacy-officer role exists.
/// </summary>
public static class AuditApi
{
    /// <summary>Maps the audit endpoint.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fhir/AuditEvent", async (string? patient, int? _count, AuditQueries audit, CancellationToken ct) =>
                Results.Text(FhirAuditEvents.Bundle(await audit.ReadAsync(patient, Math.Clamp(_count ?? 100, 1, 1000), ct)), FhirResponses.MediaType))
            .RequireAuthorization(AccessPolicies.ManageFleet)
            .WithTags("FHIR");
        return app;
    }
}
