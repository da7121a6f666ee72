using Newtonsoft.Json.Linq;
using OpenWard.Core.Vitals;
using OpenWard.Mapping.Templates;

namespace OpenWard.Mapping.Destination;

/// <summary>
/// Reads one <c>CodeValueFhir</c> template and ties it to the catalogue. Structural faults and
/// clinical mismatches (a unit the vital sign cannot be in, a component code that is not part of
/// the panel) are errors; types OpenWard does not store as vital signs are warnings.
/// </summary>
internal static class CodeValueReader
{
    private const string LoincSystem = "http://loinc.org";
    private const string MdcSystem = "urn:iso:std:iso:11073:10101";
    private static readonly string[] NumericValueTypes = ["Quantity", "SampledData"];
    private static readonly string[] ValueTypes = ["Quantity", "SampledData", "String", "CodeableConcept"];

    public static TypeMapping? Read(TemplateReader reader, JToken entry)
    {
        if (reader.Envelope(entry) is not var (type, body))
        {
            return null;
        }

        if (!type.Equals("CodeValueFhir", StringComparison.OrdinalIgnoreCase))
        {
            reader.Error(entry, $"unknown templateType \"{type}\"; expected CodeValueFhir");
            return null;
        }

        if (body is not JObject template)
        {
            reader.Error(body, "\"template\" of a CodeValueFhir must be an object");
            return null;
        }

        var errorsBefore = reader.Errors.Count;
        var typeName = reader.String(template, "typeName", required: true);
        var codes = reader.Array(template, "codes", required: true);
        var found = Codes(reader, codes);
        var value = reader.Property(template, "value") as JObject;
        var components = reader.Array(template, "components", required: false);
        if (value is null && components is null)
        {
            reader.Error(template, "a CodeValueFhir needs \"value\" or \"components\"");
        }

        if (reader.Errors.Count > errorsBefore || typeName is null || codes is null)
        {
            // Report the value's own faults too, so that one pass shows them all.
            if (value is not null)
            {
                reader.String(value, "valueName", required: true);
                reader.String(value, "valueType", required: true);
            }

            return null;
        }

        var mapping = new TypeMapping { TypeName = typeName };
        if (found is not var (vital, component))
        {
            return Unmapped(reader, template, mapping, $"none of its codes is a vital sign OpenWard knows (LOINC {string.Join(", ", VitalSignCatalogue.All.Select(v => v.Loinc).OfType<string>())})");
        }

        if (component is not null)
        {
            return Unmapped(reader, template, mapping, $"its code names a component of {vital.Display.ToLowerInvariant()}; map the panel ({vital.Loinc}) with components instead");
        }

        if (!vital.HasComponents)
        {
            if (value is null)
            {
                reader.Error(template, $"{vital.Display.ToLowerInvariant()} needs a \"value\"");
                return null;
            }

            return Value(reader, value, vital, null) switch
            {
                null when reader.Errors.Count > errorsBefore => null,
                null => Unmapped(reader, value, mapping, "its value type is not a number OpenWard can store as a vital sign"),
                var single => mapping with { Vital = vital, Values = [single] },
            };
        }

        if (components is null)
        {
            reader.Error(template, $"{vital.Display.ToLowerInvariant()} needs \"components\" ({string.Join(", ", vital.Components.Select(c => c.Loinc + " " + c.Display))})");
            return null;
        }

        var values = new List<ValueMapping>();
        foreach (var entryToken in components)
        {
            if (entryToken is not JObject part)
            {
                reader.Error(entryToken, "each component must be an object with \"codes\" and \"value\"");
                continue;
            }

            var partCodes = reader.Array(part, "codes", required: true);
            var partFound = Codes(reader, partCodes);
            if (partCodes is not null && (partFound is not var (partVital, partComponent) || partVital != vital || partComponent is null))
            {
                reader.Error(partCodes, $"none of these codes is a component of {vital.Display.ToLowerInvariant()} ({string.Join(", ", vital.Components.Select(c => c.Loinc + " " + c.Display))})");
                continue;
            }

            if (reader.Property(part, "value") is not JObject partValue)
            {
                reader.Error(part, "each component needs a \"value\"");
                continue;
            }

            if (partFound is var (_, found2) && Value(reader, partValue, vital, found2) is { } mapped)
            {
                values.Add(mapped);
            }
        }

        foreach (var required in vital.Components.Where(c => c.Required && values.All(v => v.Component != c)))
        {
            reader.Error(components, $"{vital.Display.ToLowerInvariant()} needs a component for {required.Display.ToLowerInvariant()} ({required.Loinc})");
        }

        return reader.Errors.Count > errorsBefore ? null : mapping with { Vital = vital, Values = values };
    }

    private static TypeMapping Unmapped(TemplateReader reader, JToken at, TypeMapping mapping, string why)
    {
        var reason = $"type \"{mapping.TypeName}\" is not stored: {why}";
        reader.Warning(at, reason);
        return mapping with { Unmapped = reason };
    }

    private static (VitalSign Vital, VitalComponent? Component)? Codes(TemplateReader reader, JArray? codes)
    {
        if (codes is null)
        {
            return null;
        }

        if (codes.Count == 0)
        {
            reader.Error(codes, "\"codes\" must hold at least one code");
        }

        (VitalSign, VitalComponent?)? found = null;
        foreach (var token in codes)
        {
            if (token is not JObject coding)
            {
                reader.Error(token, "each code must be an object with \"code\" and \"system\"");
                continue;
            }

            var code = reader.String(coding, "code", required: true);
            var system = reader.Property(coding, "system") is { } given ? (string?)given : LoincSystem;
            var display = reader.Property(coding, "display") is { } text ? (string?)text ?? "" : "";
            var hl7System = system switch
            {
                LoincSystem => VitalSignCodes.Loinc,
                MdcSystem => VitalSignCodes.Mdc,
                _ => null,
            };
            if (found is null && code is not null && hl7System is not null)
            {
                found = VitalSignCodes.Find(code, display, hl7System);
            }
        }

        return found;
    }

    /// <summary>The value entry's property and unit; null (without an error) when its type is not numeric.</summary>
    private static ValueMapping? Value(TemplateReader reader, JObject value, VitalSign vital, VitalComponent? component)
    {
        var name = reader.String(value, "valueName", required: true);
        var valueType = reader.String(value, "valueType", required: true);
        if (valueType is not null && !ValueTypes.Contains(valueType, StringComparer.OrdinalIgnoreCase))
        {
            reader.Error(value, $"valueType must be one of {string.Join(", ", ValueTypes)}");
            return null;
        }

        if (name is null || valueType is null || !NumericValueTypes.Contains(valueType, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        // A unit is required: a weight without one could be kilograms or pounds.
        var unitText = reader.Property(value, "code") is { Type: JTokenType.String } code && ((string?)code)?.Length > 0
            ? (string)code!
            : reader.Property(value, "unit") is { Type: JTokenType.String } unit ? (string?)unit : null;
        if (string.IsNullOrWhiteSpace(unitText))
        {
            reader.Error(value, $"a unit is required for {(component?.Display ?? vital.Display).ToLowerInvariant()} ({string.Join(", ", vital.Units.Select(u => u.Ucum))})");
            return null;
        }

        if (vital.FindUnit(UnitSpellings.ToUcum(unitText)) is not { } conversion)
        {
            reader.Error(value, $"\"{unitText}\" is not a unit of {vital.Display.ToLowerInvariant()} (UCUM: {string.Join(", ", vital.Units.Select(u => u.Ucum))})");
            return null;
        }

        return new ValueMapping(name, conversion, component);
    }
}
