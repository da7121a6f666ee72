using CsCheck;
using OpenWard.Mapping.Destination;
using OpenWard.Mapping.Templates;
using OpenWard.Tests.Shared;

namespace OpenWard.Mapping.Tests;

/// <summary>
/// Templates and messages, mutated at random, give a template or errors, measurements or problems —
/// never an exception.
/// </summary>
public sealed class MappingPropertyTests
{
    private const string Template = """
        {"templateType": "CollectionContent", "template": [
          {"templateType": "CalculatedContent", "template": {"typeName": "hr", "typeMatchExpression": "$..[?(@hr)]",
            "deviceIdExpression": "$.matchedToken.id", "timestampExpression": {"value": "fromUnixTimestampMs(matchedToken.t)", "language": "JmesPath"},
            "values": [{"valueName": "hr", "required": true, "valueExpression": {"value": "divide(matchedToken.hr, `2`)", "language": "JmesPath"}}]}},
          {"templateType": "JsonPathContent", "template": {"typeName": "bp", "typeMatchExpression": "$..[?(@sys && @dia)]",
            "deviceIdExpression": "$.id", "timestampExpression": "$.time",
            "values": [{"valueName": "sys", "required": "true", "valueExpression": "$.sys"}, {"valueName": "dia", "required": "true", "valueExpression": "$.dia"}]}}
        ]}
        """;

    private const string FhirTemplate = """
        {"templateType": "CollectionFhir", "template": [
          {"templateType": "CodeValueFhir", "template": {"typeName": "hr", "codes": [{"code": "8867-4", "system": "http://loinc.org"}],
            "value": {"valueName": "hr", "valueType": "Quantity", "unit": "count/min"}}},
          {"templateType": "CodeValueFhir", "template": {"typeName": "bp", "codes": [{"code": "85354-9", "system": "http://loinc.org"}],
            "components": [
              {"codes": [{"code": "8480-6", "system": "http://loinc.org"}], "value": {"valueName": "sys", "valueType": "Quantity", "unit": "mmHg"}},
              {"codes": [{"code": "8462-4", "system": "http://loinc.org"}], "value": {"valueName": "dia", "valueType": "Quantity", "unit": "mmHg"}}]}}
        ]}
        """;

    private const string Message = """
        {"Body": [{"hr": 144, "id": "d1", "t": 1795420800000}, {"sys": "120", "dia": 80, "id": "d1", "time": "2026-11-23T08:00:00Z"},
                  {"nested": {"hr": [1, 2], "id": {"x": 1}, "t": "x"}}], "Properties": {}, "SystemProperties": {}}
        """;

    private static readonly Gen<string> Mutated =
        from text in Gen.Int[0, 2].Select(i => new[] { Template, FhirTemplate, Message }[i])
        from edits in Gen.Select(Gen.Int[0, 4000], Gen.Char["{}[]\":,.$@?()`0123456789abc -"]).Array[1, 8]
        select TextMutation.Apply(text, edits);

    [Fact]
    public void MutatedTemplate_LoadsOrReportsErrors()
    {
        Mutated.Sample(text =>
        {
            var device = DeviceMapping.Load(text);
            var fhir = FhirMapping.Load(text);
            return (device.Template is not null || device.Errors.Count > 0) && (fhir.Template is not null || fhir.Errors.Count > 0);
        }, iter: 2000);
    }

    [Fact]
    public void MutatedMessage_GivesMeasurementsOrProblems()
    {
        var mapping = DeviceMapping.Load(Template).Template!;
        var fhir = FhirMapping.Load(FhirTemplate).Template!;
        Gen.OneOf(Mutated, Gen.String).Sample(text =>
        {
            var extraction = mapping.Extract(text, "d1", DateTimeOffset.UnixEpoch);
            foreach (var measurement in extraction.Measurements)
            {
                var conversion = fhir.ToReading(measurement);
                if ((conversion.Reading is null) == (conversion.Problem is null))
                {
                    return false;
                }
            }

            return extraction.MessageProblem is not null || extraction.Measurements.Count + extraction.Problems.Count >= 0;
        }, iter: 2000);
    }
}
