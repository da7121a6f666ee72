using OpenWard.Mapping.Destination;
using OpenWard.Mapping.Templates;

namespace OpenWard.Mapping.Tests;

/// <summary>Template behaviour written for OpenWard: functions, failures kept apart, units, clinical checks.</summary>
public sealed class TemplateBehaviourTests
{
    private static string Calculated(string valueExpression, string timestamp = "\"$.matchedToken.time\"") => $$"""
        {
          "templateType": "CollectionContent",
          "template": [{
            "templateType": "CalculatedContent",
            "template": {
              "typeName": "weight",
              "typeMatchExpression": "$..[?(@weight)]",
              "deviceIdExpression": "$.matchedToken.device",
              "timestampExpression": {{timestamp}},
              "values": [{ "valueName": "kg", "required": true, "valueExpression": {{valueExpression}} }]
            }
          }]
        }
        """;

    [Theory]
    [InlineData("""{"value": "divide(matchedToken.weight, `1000`)", "language": "JmesPath"}""", 71500, "71")]
    [InlineData("""{"value": "divide(matchedToken.weight, `1000.0`)", "language": "JmesPath"}""", 71500, "71.5")]
    [InlineData("""{"value": "multiply(matchedToken.weight, `0.45359237`)", "language": "JmesPath"}""", 100, "45.359237")]
    [InlineData("""{"value": "add(matchedToken.weight, `1`)", "language": "JmesPath"}""", 70, "71")]
    [InlineData("""{"value": "subtract(matchedToken.weight, `1.5`)", "language": "JmesPath"}""", 70, "68.5")]
    [InlineData("""{"value": "pow(matchedToken.weight, `2`)", "language": "JmesPath"}""", 3, "9")]
    [InlineData("""{"value": "appendString(to_string(matchedToken.weight), '.5')", "language": "JmesPath"}""", 70, "70.5")]
    [InlineData("""{"value": "insertString(to_string(matchedToken.weight), '.', `2`)", "language": "JmesPath"}""", 705, "70.5")]
    public void JmesPathFunction_Computes(string expression, int weight, string expected)
    {
        var extraction = Extracted.From(Calculated(expression, "\"$.matchedToken.time\""), $$"""{"weight": {{weight}}, "device": "d1", "time": "2026-11-23T08:00:00Z"}""");

        Assert.Empty(extraction.Problems);
        Assert.Equal("kg=" + expected, Extracted.Values(Assert.Single(extraction.Measurements)));
    }

    [Theory]
    [InlineData("""{"value": "fromUnixTimestampMs(matchedToken.ms)", "language": "JmesPath"}""")]
    [InlineData("""{"value": "fromUnixTimestamp(matchedToken.s)", "language": "JmesPath"}""")]
    public void UnixTime_BecomesTheOccurrenceTime(string timestamp)
    {
        var extraction = Extracted.From(
            Calculated("\"$.matchedToken.weight\"", timestamp),
            """{"weight": 71.5, "device": "d1", "ms": 1795420800000, "s": 1795420800}""");

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), Assert.Single(extraction.Measurements).OccurrenceTimeUtc);
    }

    [Fact]
    public void OneBadMatch_DoesNotCostTheOthers()
    {
        var extraction = Extracted.From(
            Calculated("\"$.matchedToken.weight\""),
            """
            [
              {"weight": 71.5, "device": "d1", "time": "2026-11-23T08:00:00Z"},
              {"weight": 71.6, "device": "d1", "time": "yesterday"},
              {"weight": 71.7, "time": "2026-11-23T09:00:00Z"},
              {"weight": 71.8, "device": "d1", "time": 1795420800},
              {"weight": 71.9, "device": "d1", "time": "2026-11-23T10:00:00+01:00"}
            ]
            """);

        Assert.Equal(["kg=71.5", "kg=71.9"], extraction.Measurements.Select(Extracted.Values));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), extraction.Measurements[1].OccurrenceTimeUtc);
        Assert.Equal(3, extraction.Problems.Count);
        Assert.Contains("not a date and time", extraction.Problems[0].Reason);
        Assert.Contains("71.6", extraction.Problems[0].MatchedJson);
        Assert.Contains("no device id", extraction.Problems[1].Reason);
        Assert.Contains("fromUnixTimestamp", extraction.Problems[2].Reason);
    }

    [Fact]
    public void FunctionGivenText_IsAProblemWithItsReason()
    {
        var extraction = Extracted.From(
            Calculated("""{"value": "multiply(matchedToken.weight, `2`)", "language": "JmesPath"}"""),
            """{"weight": "heavy", "device": "d1", "time": "2026-11-23T08:00:00Z"}""");

        Assert.Empty(extraction.Measurements);
        Assert.Contains("multiply() expects argument 1", Assert.Single(extraction.Problems).Reason);
    }

    [Fact]
    public void MessageThatIsNotJson_IsRefusedAsAWhole()
    {
        var extraction = Extracted.Mapping(Calculated("\"$.matchedToken.weight\"")).Extract("{\"weight\": ");

        Assert.NotNull(extraction.MessageProblem);
    }

    [Fact]
    public void BrokenExpressions_AreAllReported()
    {
        var load = DeviceMapping.Load("""
            {
              "templateType": "CollectionContent",
              "template": [
                { "templateType": "JsonPathContent",
                  "template": { "typeName": "a", "typeMatchExpression": "$..[?(@x", "deviceIdExpression": "$.d", "timestampExpression": "$.t" } },
                { "templateType": "JsonPathContent",
                  "template": { "typeName": "b", "typeMatchExpression": {"value": "x", "language": "JmesPath"}, "deviceIdExpression": "$.d", "timestampExpression": "$.t" } },
                { "templateType": "CalculatedContent",
                  "template": { "typeName": "c", "typeMatchExpression": {"value": "[?", "language": "JmesPath"}, "deviceIdExpression": "$.d", "timestampExpression": "$.t" } },
                { "templateType": "SomethingElse", "template": {} }
              ]
            }
            """);

        Assert.Null(load.Template);
        Assert.Equal([5, 7, 9, 10], load.Errors.Select(e => e.Line));
        Assert.Contains("cannot be parsed", load.Errors[0].Message);
        Assert.Contains("only for CalculatedContent", load.Errors[1].Message);
        Assert.Contains("cannot be parsed", load.Errors[2].Message);
        Assert.Contains("unknown templateType", load.Errors[3].Message);
    }

    [Theory]
    [InlineData("[lb_av]", 154.3234, 70.0)]
    [InlineData("lbs", 154.3234, 70.0)]
    [InlineData("kg", 70, 70.0)]
    [InlineData("g", 70000, 70.0)]
    public void WeightInAnyUnitOfTheVitalSign_BecomesKilograms(string unit, double given, double kilograms)
    {
        var fhir = FhirMapping.Load(WeightFhirMapping(unit));
        var extraction = Extracted.From(Calculated("\"$.matchedToken.weight\""), $$"""{"weight": {{given.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "device": "d1", "time": "2026-11-23T08:00:00Z"}""");

        var reading = fhir.Template!.ToReading(Assert.Single(extraction.Measurements)).Reading!;
        Assert.Equal("body-weight", reading.Vital);
        Assert.Equal("kg", reading.Unit);
        Assert.Equal(kilograms, reading.Value!.Value, 3);
    }

    [Theory]
    [InlineData("mm[Hg]", "is not a unit of body weight")]
    [InlineData("", "a unit is required")]
    public void WeightInAWrongOrMissingUnit_IsRefusedAtLoad(string unit, string reason)
    {
        var load = FhirMapping.Load(WeightFhirMapping(unit));

        Assert.Null(load.Template);
        Assert.Contains(reason, Assert.Single(load.Errors).Message);
    }

    [Fact]
    public void MeasurementValueThatIsNotANumber_IsAProblem()
    {
        var fhir = FhirMapping.Load(WeightFhirMapping("kg"));
        var extraction = Extracted.From(Calculated("\"$.matchedToken.weight\""), """{"weight": "seventy", "device": "d1", "time": "2026-11-23T08:00:00Z"}""");

        var conversion = fhir.Template!.ToReading(Assert.Single(extraction.Measurements));

        Assert.Null(conversion.Reading);
        Assert.Contains("not a number", conversion.Problem);
    }

    [Fact]
    public void BloodPressurePanelWithoutDiastolic_IsRefusedAtLoad()
    {
        var load = FhirMapping.Load("""
            {"templateType": "CollectionFhir", "template": [{"templateType": "CodeValueFhir", "template": {
              "typeName": "bp", "codes": [{"code": "85354-9", "system": "http://loinc.org"}],
              "components": [{"codes": [{"code": "8480-6", "system": "http://loinc.org"}], "value": {"valueName": "sys", "valueType": "Quantity", "unit": "mmHg"}}]
            }}]}
            """);

        Assert.Null(load.Template);
        Assert.Contains("diastolic", Assert.Single(load.Errors).Message);
    }

    private static string WeightFhirMapping(string unit) => $$$"""
        {"templateType": "CollectionFhir", "template": [{"templateType": "CodeValueFhir", "template": {
          "typeName": "weight", "codes": [{"code": "29463-7", "system": "http://loinc.org", "display": "Body weight"}],
          "value": {"valueName": "kg", "valueType": "Quantity", "unit": "{{{unit}}}"}
        }}]}
        """;

    [Fact]
    public void TypeMatchOnTheWholeMessage_SeesItAsTheMatchedToken()
    {
        var extraction = Extracted.From("""
            {"templateType": "CollectionContent", "template": [{"templateType": "CalculatedContent", "template": {
              "typeName": "weight", "typeMatchExpression": {"value": "@", "language": "JmesPath"},
              "deviceIdExpression": "$.matchedToken.Body.device", "timestampExpression": "$.matchedToken.Body.time",
              "values": [{"valueName": "kg", "required": true, "valueExpression": "$.matchedToken.Body.weight"}]}}]}
            """, """{"weight": 71.5, "device": "d1", "time": "2026-11-23T08:00:00Z"}""");

        Assert.Equal("kg=71.5", Extracted.Values(Assert.Single(extraction.Measurements)));
    }

    [Fact]
    public void MessageWithThousandsOfMatches_IsReadWhole()
    {
        var items = string.Join(",", Enumerable.Range(0, 5000).Select(i => $$"""{"weight": {{70 + (i % 10)}}, "device": "d1", "time": "2026-11-23T08:00:00Z"}"""));

        var extraction = Extracted.From(Calculated("\"$.matchedToken.weight\""), $"[{items}]");

        Assert.Equal(5000, extraction.Measurements.Count);
    }
}
