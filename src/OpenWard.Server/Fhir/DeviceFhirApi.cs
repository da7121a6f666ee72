using System.Security.Claims;
using OpenWard.Fhir;
using OpenWard.Server.Access;
using OpenWard.Server.Devices;

namespace OpenWard.Server.Fhir;

/// <summary>The devices assigned to a patient now, as FHIR Devices: <c>GET /fhir/Device?patient=</c>.</summary>
public static class DeviceFhirApi
{
    /// <summary>Maps the Device endpoint.</summary>
    public static IEndpointRouteBuilder MapDeviceFhirApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fhir/Device", SearchAsync).RequireAuthorization(AccessPolicies.ReadClinicalData).WithTags("FHIR");
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ClaimsPrincipal user, DeviceRegistry registry, FhirPatientGate gate)
    {
        var admission = await gate.AdmitPatientSearchAsync(context, user, "Device");
        if (admission.Refusal is { } refusal)
        {
            return refusal;
        }

        var patientId = admission.PatientId;
        var devices = (await registry.ListAsync(context.RequestAborted)).Where(d => d.PatientId == patientId).ToList();
        return FhirAnswers.Searchset(context.Request,
            devices.Select(d => DeviceResources.From(d.Id, d.Model, d.Serial, d.Firmware, d.PatientId, d.RevokedAt is not null)), devices.Count);
    }
}
