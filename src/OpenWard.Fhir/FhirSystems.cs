namespace OpenWard.Fhir;

/// <summary>The code and identifier systems of the resources OpenWard serves.</summary>
public static class FhirSystems
{
    /// <summary>LOINC.</summary>
    public const string Loinc = FhirObservationReader.Loinc;

    /// <summary>IEEE 11073-10101 (MDC), numeric codes.</summary>
    public const string Mdc = FhirObservationReader.Mdc;

    /// <summary>UCUM.</summary>
    public const string Ucum = FhirObservationReader.Ucum;

    /// <summary>HL7's Observation categories (<c>vital-signs</c>, <c>activity</c>).</summary>
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

    /// <summary>
    /// OpenWard's own Observation categories, for readings no HL7 category describes: <c>device-event</c>
    /// (a fall, a help-button call) and <c>device-status</c> (a device's battery).
    /// </summary>
    public const string OpenWardCategory = "urn:openward:observation-category";

    /// <summary>OpenWard's vital-sign catalogue keys as codes (<c>heart-rate</c>, <c>fall</c>).</summary>
    public const string OpenWardVital = "urn:openward:vital";

    /// <summary>OpenWard's device ids as identifiers.</summary>
    public const string OpenWardDevice = "urn:openward:device";

    /// <summary>OpenWard's patient ids as identifiers.</summary>
    public const string OpenWardPatient = "urn:openward:patient";

    /// <summary>OpenWard's alert conditions as codes (<c>heart-rate-high</c>, <c>news2</c>).</summary>
    public const string OpenWardAlertCondition = "urn:openward:alert-condition";

    /// <summary>HL7 v2 table 0203, identifier types (<c>MR</c>, the medical record number).</summary>
    public const string IdentifierType = "http://terminology.hl7.org/CodeSystem/v2-0203";
}
