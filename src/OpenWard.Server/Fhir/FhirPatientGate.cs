using System.Security.Claims;
using OpenWard.Server.Access;
using OpenWard.Server.Audit;

namespace OpenWard.Server.Fhir;

/// <summary>
/// The FHIR API's check of a patient named by a request: the caller must have a relationship with
/// the patient, exactly as through <c>/api/v1</c> (<see cref="PatientAccess"/>: care team, own record,
/// break-glass); the request is then audited as an access to that patient's record.
/// </summary>
public sealed class FhirPatientGate(PatientAccess access)
{
    /// <summary>Whether the caller may read the patient; an allowed read is recorded against the patient in the audit trail.</summary>
    public async Task<bool> AdmitAsync(HttpContext context, ClaimsPrincipal caller, string patientId)
    {
        if (await access.DecideAsync(caller, patientId, context.RequestAborted) != PatientAccessDecision.Allowed)
        {
            return false;
        }

        AuditedPatient.Set(context, patientId);
        return true;
    }
}
