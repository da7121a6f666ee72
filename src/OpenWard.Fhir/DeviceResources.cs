using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace OpenWard.Fhir;

/// <summary>A registered device as a FHIR R4 Device: its id as identifier, model, serial number, firmware as version, and its patient.</summary>
public static partial class DeviceResources
{
    /// <summary>
    /// A reference to a device: <c>Device/{id}</c> with its identifier. A device id FHIR cannot carry
    /// as a resource id (one with <c>_</c>) is referenced by its identifier alone.
    /// </summary>
    public static ResourceReference Reference(string deviceId) => new()
    {
        Reference = IsFhirId(deviceId) ? "Device/" + deviceId : null,
        Identifier = new Identifier(FhirSystems.OpenWardDevice, deviceId),
    };

    /// <summary>The Device: active unless revoked; its patient is the one it is assigned to now, if any.</summary>
    public static Device From(string id, string model, string serial, string? firmware, string? patientId, bool revoked)
    {
        var device = new Device
        {
            Id = IsFhirId(id) ? id : null,
            Identifier = [new Identifier(FhirSystems.OpenWardDevice, id)],
            Status = revoked ? Device.FHIRDeviceStatus.Inactive : Device.FHIRDeviceStatus.Active,
            SerialNumber = serial,
            ModelNumber = model,
            DeviceName = [new Device.DeviceNameComponent { Name = model, Type = DeviceNameType.ModelName }],
        };
        if (firmware is not null)
        {
            device.Version.Add(new Device.VersionComponent
            {
                Type = new CodeableConcept { Text = "firmware" },
                Value = firmware,
            });
        }

        if (patientId is not null)
        {
            device.Patient = new ResourceReference("Patient/" + patientId);
        }

        return device;
    }

    /// <summary>Whether a text is a valid FHIR resource id.</summary>
    public static bool IsFhirId(string text) => FhirId().IsMatch(text);

    [GeneratedRegex("^[A-Za-z0-9.-]{1,64}$")]
    private static partial Regex FhirId();
}
