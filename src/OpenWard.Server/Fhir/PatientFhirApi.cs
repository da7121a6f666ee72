using System.Security.Claims;
using OpenWard.Fhir;
using OpenWard.Server.Access;
using OpenWard.Server.Audit;
using OpenWard.Server.Patients;
using OpenWard.Server.Smart;

namespace OpenWard.Server.Fhir;

/// <summary>
/// Patients as FHIR Patients: <c>GET /fhir/Patient/{id}</c> and <c>GET /fhir/Patient?identifier=</c>
/// (an MRN, or OpenWard's id; without it, every patient the caller may see).
/// </summary>
public static class PatientFhirApi
{
    /// <summary>The search parameters of Patient, as the CapabilityStatement lists them.</summary>
    public static readonly string[] SearchParameters = ["identifier"];

    /// <summary>Maps the Patient endpoints.</summary>
    public static IEndpointRouteBuilder MapPatientFhirApi(this IEndpointRouteBuilder app)
    {
        var patients = app.MapGroup("/fhir/Patient").RequireAuthorization(AccessPolicies.ReadClinicalData).WithTags("FHIR");
        patients.MapGet("/", SearchAsync);
        patients.MapGet("/{patientId}", ReadAsync);
        return app;
    }

    private static async Task<IResult> ReadAsync(
        string patientId, HttpContext context, ClaimsPrincipal user, PatientRegistry registry, FhirPatientGate gate)
    {
        if (!SmartScopes.MayRead(user, "Patient"))
        {
            return FhirAnswers.Forbidden("Patient", "reading");
        }

        return await gate.AdmitAsync(context, user, patientId) && await registry.FindAsync(patientId, context.RequestAborted) is { } patient
            ? FhirAnswers.Resource(PatientResources.From(patient.Id, patient.Name, patient.Mrn))
            : FhirAnswers.NotFound($"Patient/{patientId}");
    }

    private static async Task<IResult> SearchAsync(
        HttpContext context, ClaimsPrincipal user, PatientRegistry registry, PatientAccess access)
    {
        if (!SmartScopes.MaySearch(user, "Patient"))
        {
            return FhirAnswers.Forbidden("Patient", "searching");
        }

        var query = context.Request.Query;
        var unknown = query.Keys.Where(k => !SearchParameters.Contains(k, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            return FhirAnswers.Invalid(unknown.Select(name => $"search parameter \"{name}\" is not supported here; supported: identifier"));
        }

        if (query["identifier"] is { Count: > 1 })
        {
            return FhirAnswers.Invalid(["identifier may be given once"]);
        }

        var visible = await access.VisiblePatientsAsync(user, context.RequestAborted);
        if (query["identifier"] is not { Count: 1 } identifiers)
        {
            var seen = (await registry.ListAsync(context.RequestAborted)).Where(p => visible.Contains(p.Id)).ToList();
            return FhirAnswers.Searchset(context.Request, seen.Select(Resource), seen.Count);
        }

        var token = identifiers[0] ?? "";
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        var (system, value) = bar < 0 ? (null, token) : (token[..bar], token[(bar + 1)..]);
        if (value.Length == 0)
        {
            return FhirAnswers.Invalid([$"identifier \"{token}\" is not a token: give system|value or value"]);
        }

        var found = await registry.FindByIdentifierAsync(value, context.RequestAborted);
        var matches = found is not null && visible.Contains(found.Id) && system switch
        {
            null => true,
            FhirSystems.OpenWardPatient => found.Id == value,
            PatientResources.DefaultMrnSystem => found.Mrn == value,
            _ => false,
        };
        if (!matches)
        {
            return FhirAnswers.Searchset(context.Request, [], 0);
        }

        AuditedPatient.Set(context, found!.Id);
        return FhirAnswers.Searchset(context.Request, [Resource(found)], 1);
    }

    private static global::Hl7.Fhir.Model.Patient Resource(Patient patient) => PatientResources.From(patient.Id, patient.Name, patient.Mrn);
}
