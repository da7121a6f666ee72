using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using OpenWard.Core.Readings;
using OpenWard.Core.Vitals;

namespace OpenWard.Fhir;

/// <summary>
/// Writes the Observation of a stored reading straight as FHIR JSON, for bulk export: the same
/// members and values as the Firely SDK's serialisation of <see cref="ObservationResources.From(long, Reading)"/>
/// (which stays the mapping for the read and search API), without building SDK objects. What is the
/// same for every reading of a vital sign — its profile, category and codes — is taken once from the
/// SDK's own serialisation of a sample reading and copied into each line.
/// One instance per output stream: it keeps the encoded subject, device and units it last wrote.
/// </summary>
public sealed class ObservationJson
{
    // A date and time as the SDK writes FHIR dateTime and instant values (fraction only when there is one).
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK";

    private static readonly Dictionary<string, VitalFragments> FragmentsOfVital =
        VitalSignCatalogue.All.ToDictionary(v => v.Key, VitalFragments.Of, StringComparer.Ordinal);

    private static readonly JsonEncodedText ResourceType = Encoded("resourceType");
    private static readonly JsonEncodedText Observation = Encoded("Observation");
    private static readonly JsonEncodedText Id = Encoded("id");
    private static readonly JsonEncodedText Meta = Encoded("meta");
    private static readonly JsonEncodedText LastUpdated = Encoded("lastUpdated");
    private static readonly JsonEncodedText Profile = Encoded("profile");
    private static readonly JsonEncodedText Status = Encoded("status");
    private static readonly JsonEncodedText Final = Encoded("final");
    private static readonly JsonEncodedText Category = Encoded("category");
    private static readonly JsonEncodedText Code = Encoded("code");
    private static readonly JsonEncodedText Subject = Encoded("subject");
    private static readonly JsonEncodedText Reference = Encoded("reference");
    private static readonly JsonEncodedText EffectiveDateTime = Encoded("effectiveDateTime");
    private static readonly JsonEncodedText Issued = Encoded("issued");
    private static readonly JsonEncodedText ValueQuantity = Encoded("valueQuantity");
    private static readonly JsonEncodedText ValueBoolean = Encoded("valueBoolean");
    private static readonly JsonEncodedText Value = Encoded("value");
    private static readonly JsonEncodedText Unit = Encoded("unit");
    private static readonly JsonEncodedText System = Encoded("system");
    private static readonly JsonEncodedText Ucum = Encoded(FhirSystems.Ucum);
    private static readonly JsonEncodedText Device = Encoded("device");
    private static readonly JsonEncodedText Identifier = Encoded("identifier");
    private static readonly JsonEncodedText DeviceSystem = Encoded(FhirSystems.OpenWardDevice);
    private static readonly JsonEncodedText Component = Encoded("component");

    /// <summary>The options of a writer whose Observations are escaped as the SDK escapes them (<c>+00:00</c>, <c>°C</c>).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = FhirJson.Options.Encoder, SkipValidation = true };

    private readonly Dictionary<string, (JsonEncodedText Name, JsonEncodedText Code)> units = new(StringComparer.Ordinal);
    private (string? Id, JsonEncodedText Reference) patient;
    private (string? Id, JsonEncodedText? Reference, JsonEncodedText Identifier) device;

    /// <summary>
    /// Writes the Observation of the reading stored under <paramref name="storedId"/> as one JSON object.
    /// The reading must be attributed to a patient and name a vital sign of the catalogue.
    /// </summary>
    public void Write(Utf8JsonWriter writer, long storedId, Reading reading)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reading);
        var fragments = FragmentsOfVital.GetValueOrDefault(reading.Vital)
            ?? throw new ArgumentException($"the reading's vital sign \"{reading.Vital}\" is not in the catalogue", nameof(reading));
        var patientId = reading.PatientId ?? throw new ArgumentException("the reading is attributed to no patient", nameof(reading));

        Span<byte> text = stackalloc byte[64];
        writer.WriteStartObject();
        writer.WriteString(ResourceType, Observation);
        writer.WriteString(Id, IdOf(text, storedId, reading.DeviceTime));

        writer.WriteStartObject(Meta);
        writer.WriteString(LastUpdated, TimeOf(text, reading.ReceivedTime));
        if (fragments.Profile is { } profile)
        {
            writer.WritePropertyName(Profile);
            writer.WriteRawValue(profile, skipInputValidation: true);
        }

        writer.WriteEndObject();
        writer.WriteString(Status, Final);
        writer.WritePropertyName(Category);
        writer.WriteRawValue(fragments.Category, skipInputValidation: true);
        writer.WritePropertyName(Code);
        writer.WriteRawValue(fragments.Code, skipInputValidation: true);

        writer.WriteStartObject(Subject);
        writer.WriteString(Reference, SubjectOf(patientId));
        writer.WriteEndObject();
        writer.WriteString(EffectiveDateTime, TimeOf(text, reading.DeviceTime.ToUniversalTime()));
        writer.WriteString(Issued, TimeOf(text, reading.ReceivedTime.ToUniversalTime()));

        if (fragments.Vital.IsEvent)
        {
            // As ObservationResources: an event has happened or it would not be stored.
            writer.WriteBoolean(ValueBoolean, true);
        }
        else if (reading.Components is null && reading.Value is { } value)
        {
            writer.WritePropertyName(ValueQuantity);
            WriteQuantity(writer, value, reading.Unit);
        }

        WriteDevice(writer, reading.DeviceId);
        if (!fragments.Vital.IsEvent && reading.Components is { } components)
        {
            WriteComponents(writer, fragments, components, reading.Unit);
        }

        writer.WriteEndObject();
    }

    private void WriteComponents(Utf8JsonWriter writer, VitalFragments fragments, IReadOnlyDictionary<string, double> components, string unit)
    {
        var started = false;
        for (var i = 0; i < fragments.Vital.Components.Count; i++)
        {
            if (!components.TryGetValue(fragments.Vital.Components[i].Key, out var value))
            {
                continue;
            }

            if (!started)
            {
                writer.WriteStartArray(Component);
                started = true;
            }

            writer.WriteStartObject();
            writer.WritePropertyName(Code);
            writer.WriteRawValue(fragments.ComponentCodes[i], skipInputValidation: true);
            writer.WritePropertyName(ValueQuantity);
            WriteQuantity(writer, value, unit);
            writer.WriteEndObject();
        }

        if (started)
        {
            writer.WriteEndArray();
        }
    }

    private void WriteQuantity(Utf8JsonWriter writer, double value, string unit)
    {
        if (!units.TryGetValue(unit, out var encoded))
        {
            encoded = (Encoded(ObservationResources.UnitName(unit)), Encoded(unit));
            units[unit] = encoded;
        }

        writer.WriteStartObject();
        // The SDK's decimal: the double as System.Decimal (15 significant digits), written as that decimal.
        writer.WriteNumber(Value, (decimal)value);
        writer.WriteString(Unit, encoded.Name);
        writer.WriteString(System, Ucum);
        writer.WriteString(Code, encoded.Code);
        writer.WriteEndObject();
    }

    private void WriteDevice(Utf8JsonWriter writer, string deviceId)
    {
        if (!string.Equals(device.Id, deviceId, StringComparison.Ordinal))
        {
            JsonEncodedText? reference = DeviceResources.IsFhirId(deviceId) ? Encoded("Device/" + deviceId) : null;
            device = (deviceId, reference, Encoded(deviceId));
        }

        writer.WriteStartObject(Device);
        if (device.Reference is { } deviceReference)
        {
            writer.WriteString(Reference, deviceReference);
        }

        writer.WriteStartObject(Identifier);
        writer.WriteString(System, DeviceSystem);
        writer.WriteString(Value, device.Identifier);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private JsonEncodedText SubjectOf(string patientId)
    {
        if (!string.Equals(patient.Id, patientId, StringComparison.Ordinal))
        {
            patient = (patientId, Encoded("Patient/" + patientId));
        }

        return patient.Reference;
    }

    private static JsonEncodedText Encoded(string text) => JsonEncodedText.Encode(text, FhirJson.Options.Encoder);

    // ObservationIds.Of without a string: device time in UTC milliseconds, a dash, the stored key.
    private static ReadOnlySpan<byte> IdOf(Span<byte> text, long storedId, DateTimeOffset deviceTime)
    {
        Utf8Formatter.TryFormat(deviceTime.ToUnixTimeMilliseconds(), text, out var length);
        text[length++] = (byte)'-';
        Utf8Formatter.TryFormat(storedId, text[length..], out var idLength);
        return text[..(length + idLength)];
    }

    private static ReadOnlySpan<byte> TimeOf(Span<byte> text, DateTimeOffset time)
    {
        time.TryFormat(text, out var length, TimeFormat, CultureInfo.InvariantCulture);
        return text[..length];
    }
}
