using System.Security.Claims;
using OpenWard.Server.Access;
using OpenWard.Server.Audit;
using OpenWard.Server.Smart;

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

    /// <summary>
    /// A search whose one parameter is <c>patient</c> (<c>Device?patient=</c>, <c>Flag?patient=</c>): the
    /// token's scope, then the parameter, then the patient, each refused with its own answer.
    /// </summary>
    public async Task<PatientSearchAdmission> AdmitPatientSearchAsync(HttpContext context, ClaimsPrincipal caller, string resourceType)
    {
        if (!SmartScopes.MaySearch(caller, resourceType))
        {
            return PatientSearchAdmission.Refused(FhirAnswers.Forbidden(resourceType, "searching"));
        }

        if (PatientSearch.Read(context.Request.Query, out var problems) is not { } patientId)
        {
            return PatientSearchAdmission.Refused(FhirAnswers.Invalid(problems));
        }

        return await AdmitAsync(context, caller, patientId)
            ? new PatientSearchAdmission(patientId, null)
            : PatientSearchAdmission.Refused(FhirAnswers.NotFound($"Patient/{patientId}"));
    }
}
