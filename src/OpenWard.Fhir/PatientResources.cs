using Hl7.Fhir.Model;

namespace OpenWard.Fhir;

/// <summary>A patient as a FHIR R4 Patient: OpenWard's id, the name clinicians see and the medical record number.</summary>
public static class PatientResources
{
    /// <summary>The identifier system of medical record numbers when the hospital has not named its own.</summary>
    public const string DefaultMrnSystem = "urn:openward:mrn";

    /// <summary>The Patient with this id, name and medical record number (an identifier of type MR in <paramref name="mrnSystem"/>).</summary>
    public static Patient From(string id, string name, string? mrn, string mrnSystem = DefaultMrnSystem)
    {
        var patient = new Patient
        {
            Id = id,
            Active = true,
            Identifier = [new Identifier(FhirSystems.OpenWardPatient, id)],
            Name = [new HumanName { Text = name }],
        };
        if (mrn is not null)
        {
            patient.Identifier.Add(new Identifier(mrnSystem, mrn)
            {
                Use = Identifier.IdentifierUse.Usual,
                Type = new CodeableConcept(FhirSystems.IdentifierType, "MR", "Medical record number", "Medical record number"),
            });
        }

        return patient;
    }
}
