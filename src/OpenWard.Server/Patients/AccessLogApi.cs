using OpenWard.Server.Access;
using OpenWard.Server.Audit;
using OpenWard.Server.People;

namespace OpenWard.Server.Patients;

/// <summary>
/// <c>GET /api/v1/patients/{patientId}/access-log</c> — who accessed a record — for the patient themself
/// and their care team: the record's audit trail, each person named as colleagues know them.
/// </summary>
public static class AccessLogApi
{
    /// <summary>Maps the access-log endpoint.</summary>
    public static IEndpointRouteBuilder MapAccessLogApi(this IEndpointRouteBuilder app)
    {
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
