using Hl7.Fhir.Model;
using OpenWard.Core.Readings;
using OpenWard.Core.Vitals;

namespace OpenWard.Fhir;

/// <summary>
/// A stored reading as a FHIR R4 Observation. Measurements are vital signs conforming to the R4
/// vital-signs profile that applies (heart rate, oxygen saturation, respiratory rate, blood pressure,
/// body temperature, body weight; the base vital-signs profile otherwise), coded in LOINC and, where
/// the catalogue has a term, IEEE 11073 MDC, with values in UCUM. Step counts are <c>activity</c>;
/// events (a fall, a help-button call) and a device's battery are in OpenWard's own categories
/// (<see cref="FhirSystems.OpenWardCategory"/>), conforming to base R4.
/// </summary>
public static class ObservationResources
{
    /// <summary>The base R4 vital-signs profile.</summary>
    public const string VitalSignsProfile = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

    // The R4 profiles of each vital sign that has one.
    private static readonly Dictionary<string, string> ProfileOfVital = new(StringComparer.Ordinal)
    {
        [VitalSignCatalogue.HeartRate.Key] = "http://hl7.org/fhir/StructureDefinition/heartrate",
        [VitalSignCatalogue.OxygenSaturation.Key] = "http://hl7.org/fhir/StructureDefinition/oxygensat",
        [VitalSignCatalogue.RespiratoryRate.Key] = "http://hl7.org/fhir/StructureDefinition/resprate",
        [VitalSignCatalogue.BloodPressure.Key] = "http://hl7.org/fhir/StructureDefinition/bp",
        [VitalSignCatalogue.BodyTemperature.Key] = "http://hl7.org/fhir/StructureDefinition/bodytemp",
        [VitalSignCatalogue.BodyWeight.Key] = "http://hl7.org/fhir/StructureDefinition/bodyweight",
    };

    // Human-readable units where the UCUM code is not what people write.
    private static readonly Dictionary<string, string> UnitNames = new(StringComparer.Ordinal)
    {
        ["/min"] = "/min",
        ["mm[Hg]"] = "mmHg",
        ["Cel"] = "°C",
        ["{steps}"] = "steps",
    };

    /// <summary>Every R4 profile an Observation may claim.</summary>
    public static IEnumerable<string> Profiles() => ProfileOfVital.Values.Append(VitalSignsProfile);

    /// <summary>The R4 profile the Observation of a vital sign claims, or null for readings that are not vital signs.</summary>
    public static string? ProfileOf(VitalSign vital) => Category(vital).Code == "vital-signs" ? ProfileOfVital.GetValueOrDefault(vital.Key, VitalSignsProfile) : null;

    /// <summary>The category an Observation of this vital sign is filed under.</summary>
    public static Coding Category(VitalSign vital) => vital switch
    {
        { IsEvent: true } => new Coding(FhirSystems.OpenWardCategory, "device-event", "Device event"),
        { IsDeviceStatus: true } => new Coding(FhirSystems.OpenWardCategory, "device-status", "Device status"),
        _ when vital.Key == VitalSignCatalogue.StepCount.Key => new Coding(FhirSystems.ObservationCategory, "activity", "Activity"),
        _ => new Coding(FhirSystems.ObservationCategory, "vital-signs", "Vital Signs"),
    };

    /// <summary>
    /// The Observation of the reading stored under <paramref name="storedId"/> (its row key), with the id
    /// <see cref="ObservationIds.Of"/> gives it. The reading must be attributed to a patient.
    /// </summary>
    public static Observation From(long storedId, Reading reading) => From(ObservationIds.Of(storedId, reading.DeviceTime), reading);

    /// <summary>The Observation of a stored reading under the id <paramref name="id"/>.</summary>
    public static Observation From(string id, Reading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var vital = VitalSignCatalogue.Find(reading.Vital)
            ?? throw new ArgumentException($"the reading's vital sign \"{reading.Vital}\" is not in the catalogue", nameof(reading));
        var patient = reading.PatientId ?? throw new ArgumentException("the reading is attributed to no patient", nameof(reading));
        var observation = new Observation
        {
            Id = id,
            Meta = new Meta { LastUpdated = reading.ReceivedTime },
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept { Coding = [Category(vital)] }],
            Code = Code(vital),
            Subject = new ResourceReference("Patient/" + patient),
            Effective = new FhirDateTime(reading.DeviceTime.ToUniversalTime()),
            Issued = reading.ReceivedTime.ToUniversalTime(),
            Device = DeviceResources.Reference(reading.DeviceId),
        };
        if (ProfileOf(vital) is { } profile)
        {
            observation.Meta.Profile = [profile];
        }

        if (vital.IsEvent)
        {
            // An event has happened or it would not be stored: the value says so rather than a count of one.
            observation.Value = new FhirBoolean(true);
        }
        else if (reading.Components is { } components)
        {
            foreach (var part in vital.Components)
            {
                if (components.TryGetValue(part.Key, out var value))
                {
                    observation.Component.Add(new Observation.ComponentComponent
                    {
                        // LOINC alone: the R4 blood pressure profile tells its components apart by
                        // code.coding, which a second coding (MDC) makes ambiguous to validators.
                        Code = Code(part.Display, part.Loinc, mdc: null),
                        Value = Quantity(value, reading.Unit),
                    });
                }
            }
        }
        else if (reading.Value is { } value)
        {
            observation.Value = Quantity(value, reading.Unit);
        }

        return observation;
    }

    /// <summary>The Observation.code of a vital sign: LOINC and MDC where the catalogue has them, else OpenWard's key.</summary>
    public static CodeableConcept Code(VitalSign vital)
    {
        ArgumentNullException.ThrowIfNull(vital);
        if (vital.Loinc is null)
        {
            return new CodeableConcept(FhirSystems.OpenWardVital, vital.Key, vital.Display, vital.Display);
        }

        var code = Code(vital.Display, vital.Loinc, vital.Mdc);
        if (vital.Key == VitalSignCatalogue.OxygenSaturation.Key)
        {
            // The R4 oxygen saturation profile requires LOINC 2708-6 beside the pulse oximetry code.
            code.Coding.Insert(0, new Coding(FhirSystems.Loinc, "2708-6", "Oxygen saturation in Arterial blood"));
        }

        return code;
    }

    private static CodeableConcept Code(string display, string loinc, MdcCode? mdc)
    {
        var code = new CodeableConcept { Text = display, Coding = [new Coding(FhirSystems.Loinc, loinc, display)] };
        if (mdc is not null)
        {
            code.Coding.Add(new Coding(FhirSystems.Mdc, mdc.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), mdc.ReferenceId));
        }

        return code;
    }

    /// <summary>How people write a UCUM unit (<c>mmHg</c> for <c>mm[Hg]</c>), as Observation quantities name it.</summary>
    internal static string UnitName(string ucum) => UnitNames.GetValueOrDefault(ucum, ucum);

    private static Quantity Quantity(double value, string unit) => new()
    {
        Value = (decimal)value,
        Unit = UnitName(unit),
        System = FhirSystems.Ucum,
        Code = unit,
    };
}
