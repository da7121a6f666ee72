using OpenWard.Fhir;
using OpenWard.Server.Access;
using OpenWard.Server.People;

namespace OpenWard.Server.Audit;

/// <summary>
/// The audit trail read back: <c>GET /fhir/AuditEvent?patient={id}&amp;_count=N</c> as FHIR R4
/// AuditEvents for the privacy officer (administrators), and
/// <c>GET /api/v1/patients/{patientId}/access-log</c> — who accessed a record — for the patient
/// themself and their care team.
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
        app.MapGet("/api/v1/patients/{patientId}/access-log", AccessLogAsync)
            .RequireAuthorization(AccessPolicies.ReadClinicalData)
            .RequirePatientAccess()
            .WithTags("Patients");
        return app;
    }

    private static async Task<IResult> AccessLogAsync(
        string patientId, int? limit, System.Security.Claims.ClaimsPrincipal caller, AuditQueries audit, UserDirectory users,
        CancellationToken cancellationToken)
    {
        var self = Caller.From(caller)?.AuditName;
        var records = await audit.ReadAsync(patientId, Math.Clamp(limit ?? 200, 1, 1000), cancellationToken);
        var people = (await users.ListAsync(cancellationToken)).ToDictionary(u => "user:" + u.Id);
        return TypedResults.Ok(records.Select(record => new RecordAccess
        {
            At = record.At,
            Who = people.TryGetValue(record.Actor, out var person) ? person.DisplayName : record.Actor,
            Role = person?.Role,
            Action = record.Action,
            Outcome = record.Outcome,
            Self = record.Actor == self,
        }));
    }
}
