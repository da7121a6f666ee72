using OpenWard.Fhir;
using OpenWard.Server.Patients;

namespace OpenWard.Server.BulkExport;

/// <summary>The scope's patients as FHIR Patients (id, name, medical record number).</summary>
public sealed class PatientSource(PatientRegistry patients) : IExportSource
{
    /// <inheritdoc />
    public string ResourceType => "Patient";

    /// <inheritdoc />
    public async Task WriteAsync(ExportScope scope, NdjsonFile file, CancellationToken cancellationToken)
    {
        foreach (var patientId in scope.PatientIds)
        {
            // A patient's record keeps no time of its last change, so _since cannot leave one out.
            if (await patients.FindAsync(patientId, cancellationToken) is not { } patient)
            {
                continue;
            }

            file.Write(PatientResources.From(patient.Id, patient.Name, patient.Mrn));
        }
    }
}
