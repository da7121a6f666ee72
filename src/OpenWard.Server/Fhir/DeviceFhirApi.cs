using System.Security.Claims;
using OpenWard.Fhir;
using OpenWard.Server.Access;
using OpenWard.Server.Devices;
using OpenWard.Server.Smart;

namespace OpenWard.Server.Fhir;

/// <summary>The devices assigned to a patient now, as FHIR Devices: <c>GET /fhir/Device?patient=</c>.</summary>
public static class DeviceFhirApi
{
    /// <summary>The search parameters of Device, as the CapabilityStatement lists them.</summary>
    public static readonly string[] SearchParameters = ["patient"];

    /// <summary>Maps the Device endpoint.</summary>
    public static IEndpointRouteBuilder MapDeviceFhirApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fhir/Device", SearchAsync).RequireAuthorization(AccessPolicies.ReadClinicalData).WithTags("FHIR");
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ClaimsPrincipal user, DeviceRegistry registry, FhirPatientGate gate)
    {
        if (!SmartScopes.MaySearch(user, "Device"))
        {
            return FhirAnswers.Forbidden("Device", "searching");
        }

        var query = context.Request.Query;
        var problems = query.Keys.Where(k => !SearchParameters.Contains(k, StringComparer.Ordinal))
            .Select(name => $"search parameter \"{name}\" is not supported here; supported: patient").ToList();
        if (query["patient"] is not { Count: 1 } patients || patients[0] is not { Length: > 0 } patient)
        {
            problems.Add("patient is required, once: patient={id} or patient=Patient/{id}");
            return FhirAnswers.Invalid(problems);
        }

        if (problems.Count > 0)
        {
            return FhirAnswers.Invalid(problems);
        }

        var patientId = patient.StartsWith("Patient/", StringComparison.Ordinal) ? patient["Patient/".Length..] : patient;
        if (!await gate.AdmitAsync(context, user, patientId))
        {
            return FhirAnswers.NotFound($"Patient/{patientId}");
        }

        var devices = (await registry.ListAsync(context.RequestAborted)).Where(d => d.PatientId == patientId).ToList();
        return FhirAnswers.Searchset(context.Request,
            devices.Select(d => DeviceResources.From(d.Id, d.Model, d.Serial, d.Firmware, d.PatientId, d.RevokedAt is not null)), devices.Count);
    }
}
