using System.Globalization;
using Newtonsoft.Json.Linq;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Text;
using OpenWard.Mapping.Measurements;
using OpenWard.Mapping.Templates;

namespace OpenWard.Mapping.Destination;

/// <summary>
/// A FHIR destination mapping (<c>CollectionFhir</c> of <c>CodeValueFhir</c> templates, in the IoMT
/// FHIR Connector's format). OpenWard reads it for what it says about meaning: each type's LOINC
/// (or IEEE 11073) codes tie it to a catalogue vital sign, and its value and component entries say
/// which measurement property holds which value in which unit. Measurements then become readings.
/// </summary>
public sealed class FhirMapping
{
    private readonly Dictionary<string, TypeMapping> types;

    private FhirMapping(Dictionary<string, TypeMapping> types) => this.types = types;

    /// <summary>Each mapped type name and the vital sign it becomes (null when it cannot be stored).</summary>
    public IReadOnlyDictionary<string, string?> Types => types.ToDictionary(t => t.Key, t => t.Value.Vital?.Key);

    /// <summary>Loads and checks a FHIR mapping, reporting every error with its location.</summary>
    public static TemplateLoad<FhirMapping> Load(string json)
    {
        var reader = new TemplateReader();
        var types = new Dictionary<string, TypeMapping>(StringComparer.OrdinalIgnoreCase);
        if (reader.Parse(json) is { } root && reader.Envelope(root) is var (type, body))
        {
            if (!type.Equals("CollectionFhir", StringComparison.OrdinalIgnoreCase) && !type.Equals("CollectionFhirTemplate", StringComparison.OrdinalIgnoreCase))
            {
                reader.Error(root, $"templateType must be \"CollectionFhir\", not \"{type}\"");
            }
            else if (body is not JArray entries)
            {
                reader.Error(body, "\"template\" of a CollectionFhir must be an array of CodeValueFhir templates");
            }
            else
            {
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var entry in entries)
                {
                    // Duplicates are reported even among entries that have other errors.
                    if (entry.SelectToken("template.typeName") is { Type: JTokenType.String } name && !seen.Add((string)name!))
                    {
                        reader.Error(entry, $"duplicate template for type name \"{name}\"");
                    }

                    if (CodeValueReader.Read(reader, entry) is { } mapping)
                    {
                        types.TryAdd(mapping.TypeName, mapping);
                    }
                }
            }
        }

        return reader.Errors.Count > 0
            ? new TemplateLoad<FhirMapping> { Errors = reader.Errors, Warnings = reader.Warnings }
            : new TemplateLoad<FhirMapping> { Template = new FhirMapping(types), Warnings = reader.Warnings };
    }

    /// <summary>Turns a measurement into a reading in OpenWard's vocabulary, still to be validated like any other.</summary>
    public ReadingConversion ToReading(NormalizedMeasurement measurement)
    {
        if (!types.TryGetValue(measurement.Type, out var mapping))
        {
            return new ReadingConversion(null, $"the FHIR mapping has no template for type \"{Quote.Shorten(measurement.Type)}\"");
        }

        if (mapping.Unmapped is not null)
        {
            return new ReadingConversion(null, mapping.Unmapped);
        }

        var vital = mapping.Vital!;
        var components = new Dictionary<string, double>(StringComparer.Ordinal);
        double? single = null;
        foreach (var value in mapping.Values)
        {
            var property = measurement.Properties.FirstOrDefault(p => p.Name == value.ValueName);
            if (property is null)
            {
                if (value.Component is { Required: false })
                {
                    continue;
                }

                return new ReadingConversion(null, $"{measurement.Type}: value \"{value.ValueName}\" is missing");
            }

            if (!double.TryParse(property.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            {
                return new ReadingConversion(null, $"{measurement.Type}: value \"{value.ValueName}\" is \"{Quote.Shorten(property.Value)}\", not a number");
            }

            var canonical = value.Unit.ToCanonical(number);
            if (value.Component is { } component)
            {
                components[component.Key] = canonical;
            }
            else
            {
                single = canonical;
            }
        }

        return new ReadingConversion(
            new ReadingSubmission
            {
                Vital = vital.Key,
                Time = measurement.OccurrenceTimeUtc,
                Value = vital.HasComponents ? null : single,
                Components = vital.HasComponents ? components : null,
                Unit = vital.CanonicalUnit,
            },
            null);
    }
}
