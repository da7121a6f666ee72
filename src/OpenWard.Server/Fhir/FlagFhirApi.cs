using System.Security.Claims;
using OpenWard.Fhir;
using OpenWard.Server.Access;
using OpenWard.Server.Alerts;

namespace OpenWard.Server.Fhir;

/// <summary>A patient's alerts, open and closed, as FHIR Flags (<see cref="FlagResources"/>): <c>GET /fhir/Flag?patient=</c>.</summary>
public static class FlagFhirApi
{
    // The most alerts one answer holds, the most severe first (as /api/v1/alerts lists them).
    private const int Limit = 1000;

    /// <summary>Maps the Flag endpoint.</summary>
    public static IEndpointRouteBuilder MapFlagFhirApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fhir/Flag", SearchAsync).RequireAuthorization(AccessPolicies.ReadClinicalData).WithTags("FHIR");
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ClaimsPrincipal user, AlertStore alerts, FhirPatientGate gate)
    {
        var admission = await gate.AdmitPatientSearchAsync(context, user, "Flag");
        if (admission.Refusal is { } refusal)
        {
            return refusal;
        }

        var patientId = admission.PatientId;
        var found = await alerts.ListAsync(new AlertQuery("all", patientId, null, Limit, new HashSet<string>(StringComparer.Ordinal) { patientId }), context.RequestAborted);
        return FhirAnswers.Searchset(context.Request, found.Select(a => FlagResources.From(a.Id, a.PatientId, a.Condition, a)), found.Count < Limit ? found.Count : null);
    }
}
