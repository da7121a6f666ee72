using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Text;
using OpenWard.Core.Vitals;

namespace OpenWard.Fhir;

/// <summary>
/// Reads FHIR R4 Observations (vital-signs profile and Personal Health Device IG shapes) into
/// readings with the Firely SDK: <c>code</c> in LOINC or IEEE 11073 MDC, <c>valueQuantity</c> in UCUM,
/// blood pressure as components, time from <c>effective[x]</c>, the device and the patient from
/// their references or identifiers. Never throws on bad input.
/// </summary>
public static class FhirObservationReader
{
    /// <summary>The UCUM code system.</summary>
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>The LOINC code system.</summary>
    public const string Loinc = "http://loinc.org";

    /// <summary>The IEEE 11073-10101 code system.</summary>
    public const string Mdc = "urn:iso:std:iso:11073:10101";

    /// <summary>Reads an Observation, or a batch or transaction Bundle of Observations.</summary>
    public static FhirRequest Read(string json)
    {
        Resource? resource;
        try
        {
            resource = JsonSerializer.Deserialize<Resource>(json, FhirJson.Options);
        }
        catch (Exception e) when (e is JsonException or DeserializationFailedException or NotSupportedException or InvalidOperationException)
        {
            return new FhirRequest { Problem = $"body is not a valid FHIR R4 resource: {Quote.Shorten(e.Message, 300)}" };
        }

        switch (resource)
        {
            case Observation observation:
                // Alone, an Observation that is not a vital sign is refused: there is nothing else to acknowledge.
                var single = Read(0, observation);
                return new FhirRequest { Observations = [single.Note is null ? single : single with { Note = null, Problem = single.Note }] };
            case Bundle { Type: Bundle.BundleType.Batch or Bundle.BundleType.Transaction } bundle:
                var devices = new Dictionary<string, Device>(StringComparer.Ordinal);
                foreach (var entry in bundle.Entry)
                {
                    if (entry is { FullUrl: { } url, Resource: Device device })
                    {
                        devices[url] = device;
                    }
                }

                var observations = bundle.Entry.Select((entry, index) => entry.Resource switch
                {
                    Observation o => WithBundleDevice(Read(index, o), o, devices),
                    Device or Patient => new FhirObservation
                    {
                        Index = index,
                        Raw = entry.Resource.TypeName,
                        Note = $"a {entry.Resource.TypeName} entry is not stored: devices and patients are registered through OpenWard's API",
                    },
                    _ => new FhirObservation { Index = index, Raw = entry.Resource?.TypeName ?? "(empty entry)", Problem = "entry is not an Observation" },
                });
                return new FhirRequest
                {
                    BundleType = bundle.Type == Bundle.BundleType.Transaction ? "transaction" : "batch",
                    Observations = [.. observations],
                };
            case Bundle other:
                return new FhirRequest { Problem = $"a Bundle of type {other.Type?.ToString() ?? "(none)"} is not accepted; send a batch or transaction" };
            default:
                return new FhirRequest { Problem = $"a {resource?.TypeName ?? "body"} is not accepted; send an Observation or a Bundle of them" };
        }
    }

    /// <summary>An Observation whose device is a <c>urn:uuid</c> reference to a Device entry of the Bundle.</summary>
    private static FhirObservation WithBundleDevice(FhirObservation read, Observation observation, Dictionary<string, Device> devices)
    {
        if (read.DeviceId is not null || observation.Device?.Reference is not { } reference || !devices.TryGetValue(reference, out var device))
        {
            return read;
        }

        var candidates = device.Identifier.Select(i => i.Value).Append(device.Id).OfType<string>().Where(v => v.Length > 0).ToList();
        return read with { DeviceCandidates = candidates };
    }

    private static FhirObservation Read(int index, Observation observation)
    {
        var raw = Quote.Shorten(JsonSerializer.Serialize<Resource>(observation, FhirJson.Options), 2048);
        var result = new FhirObservation
        {
            Index = index,
            Raw = raw,
            DeviceId = Local(observation.Device, "Device"),
            PatientId = Local(observation.Subject, "Patient"),
        };
        if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled or ObservationStatus.Unknown or null)
        {
            return result with { Problem = $"status {observation.Status?.ToString() ?? "(none)"} carries no result" };
        }

        if (Vital(observation.Code) is not { } vital)
        {
            // Gateways send status, battery and time-synchronisation Observations along with the vital signs.
            return result with { Note = $"not stored: code {Describe(observation.Code)} is not a vital sign OpenWard keeps (LOINC or MDC)" };
        }

        if (Time(observation.Effective) is not { } time)
        {
            return result with { Problem = "effective[x] must be a dateTime or instant with a time and UTC offset, or a period with a start" };
        }

        if (!vital.Vital.HasComponents)
        {
            return ReadQuantity(observation.Value, out var value, out var unit) is { } problem
                ? result with { Problem = problem }
                : result with { Submission = new ReadingSubmission { Vital = vital.Vital.Key, Time = time, Value = value, Unit = unit } };
        }

        var components = new Dictionary<string, double>(StringComparer.Ordinal);
        string? componentUnit = null;
        foreach (var component in observation.Component)
        {
            if (Vital(component.Code) is not { Component: { } part })
            {
                continue; // other components (e.g. a pulse rate) are not part of the pressure
            }

            if (component.DataAbsentReason is { } absent)
            {
                var why = absent.Coding.FirstOrDefault()?.Code ?? absent.Text ?? "unknown";
                if (part.Required)
                {
                    return result with { Problem = $"{part.Key}: no value (data absent: {why})" };
                }

                continue; // an optional component without a value (e.g. a mean the cuff could not compute)
            }

            if (ReadQuantity(component.Value, out var value, out var unit) is { } problem)
            {
                return result with { Problem = $"{part.Key}: {problem}" };
            }

            if (componentUnit is not null && componentUnit != unit)
            {
                return result with { Problem = $"{part.Key} is in {unit} but other components in {componentUnit}" };
            }

            componentUnit = unit;
            components[part.Key] = value;
        }

        return componentUnit is null
            ? result with { Problem = $"{vital.Vital.Key} needs components ({string.Join(", ", vital.Vital.Components.Select(c => c.Key))})" }
            : result with { Submission = new ReadingSubmission { Vital = vital.Vital.Key, Time = time, Components = components, Unit = componentUnit } };
    }

    private static (VitalSign Vital, VitalComponent? Component)? Vital(CodeableConcept? code)
    {
        foreach (var coding in code?.Coding ?? [])
        {
            var system = coding.System switch
            {
                Loinc => VitalSignCodes.Loinc,
                Mdc => VitalSignCodes.Mdc,
                _ => null,
            };
            if (system is not null && coding.Code is { } value && VitalSignCodes.Find(value, coding.Display ?? "", system) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static string? ReadQuantity(DataType? value, out double number, out string unit)
    {
        number = 0;
        unit = "";
        if (value is not Quantity quantity || quantity.Value is not { } decimalValue)
        {
            return "value must be a valueQuantity with a value";
        }

        if (quantity.System != Ucum || string.IsNullOrEmpty(quantity.Code))
        {
            return $"valueQuantity must carry a UCUM code (system {Ucum})";
        }

        number = (double)decimalValue;
        unit = quantity.Code;
        return null;
    }

    private static DateTimeOffset? Time(DataType? effective)
    {
        var text = effective switch
        {
            FhirDateTime dateTime => dateTime.Value,
            Instant instant => instant.Value?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            Period period => period.Start,
            _ => null,
        };
        return text is not null && DeviceJsonFormat.TryParseTime(text, out var time) && text.Contains('T', StringComparison.Ordinal) ? time : null;
    }

    private static string? Local(ResourceReference? reference, string type)
    {
        if (reference?.Reference is { } text)
        {
            var prefix = type + "/";
            var start = text.LastIndexOf(prefix, StringComparison.Ordinal);
            return start >= 0 ? text[(start + prefix.Length)..].Split('/')[0] : null;
        }

        return reference?.Identifier?.Value;
    }

    private static string Describe(CodeableConcept? code) =>
        code?.Coding is { Count: > 0 } codings ? string.Join(", ", codings.Select(c => $"{c.System}|{c.Code}")) : "(none)";
}
