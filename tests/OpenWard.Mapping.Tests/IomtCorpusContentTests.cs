using OpenWard.Mapping.Templates;

namespace OpenWard.Mapping.Tests;

/// <summary>
/// Device mapping templates and messages from the IoMT FHIR Connector's own samples and unit tests
/// give the measurements that connector gives (its expectations are quoted from its tests).
/// </summary>
public sealed class IomtCorpusContentTests
{
    [Theory]
    [InlineData("sample-templates/basic__devicecontent.json")]
    [InlineData("sample-templates/healthkitOnFhir__devicecontent.json")]
    [InlineData("sample-templates/sandbox__devicecontent.json")]
    [InlineData("sample-templates/sandbox__legacy__devicecontent.json")]
    [InlineData("sample-templates/iotjsonpath_multiple__device-mapping.json")]
    [InlineData("sample-templates/calculated_conversions__deviceMapping.json")]
    [InlineData("test-input/Fhir.Ingest.Template.UnitTests__data_CollectionContentTemplateHrAndSteps.json")]
    [InlineData("test-input/Fhir.Ingest.Template.UnitTests__data_CollectionContentTemplateHrAndStepsJmesPath.json")]
    [InlineData("test-input/Fhir.Ingest.Template.UnitTests__data_CollectionContentTemplateMixed.json")]
    [InlineData("test-input/Fhir.Ingest.Validation.UnitTests__data_CollectionContentTemplateHrAndBloodPressureValid.json")]
    public void PublishedDeviceMapping_Loads(string path)
    {
        var load = DeviceMapping.Load(IomtCorpus.Read(path));

        Assert.True(load.Template is not null, string.Join(Environment.NewLine, load.Errors));
        Assert.NotEmpty(load.Template!.TypeNames);
    }

    [Fact]
    public void IotHubMessage_TakesDeviceFromConnectionAndTimeFromCreationTime()
    {
        var template = $$"""{"templateType": "CollectionContent", "template": [{{IomtCorpus.TestInput("IotJsonPathContentTemplateValid.json")}}]}""";

        var extraction = Extracted.From(template, IomtCorpus.TestInput("IotHubPayloadExample.json"));

        var measurement = Assert.Single(extraction.Measurements);
        Assert.Equal("heartrate", measurement.Type);
        Assert.Equal("ev-d795-1d04-55ae", measurement.DeviceId);
        Assert.Equal("2019-01-30T22:45:02.6073744Z", Extracted.Time(measurement));
        Assert.Equal("hr=203", Extracted.Values(measurement));
    }

    [Fact]
    public void IotHubMessage_WithoutCreationTime_UsesEnqueuedTime()
    {
        var template = $$"""{"templateType": "CollectionContent", "template": [{{IomtCorpus.TestInput("IotJsonPathContentTemplateValid.json")}}]}""";

        var extraction = Extracted.From(template, IomtCorpus.TestInput("IotHubPayloadExampleMissingCreateTime.json"));

        var measurement = Assert.Single(extraction.Measurements);
        Assert.Equal("2019-02-01T22:46:01.8750000Z", Extracted.Time(measurement));
    }

    [Fact]
    public void IotCentralExport_WithThreeMessages_GivesSixMeasurements()
    {
        var extraction = Extracted.From(
            IomtCorpus.TestInput("CollectionContentTemplateMultipleIotCentralJsonPath.json"),
            IomtCorpus.TestInput("IotCentralPayloadExampleMultipleMessages.json"));

        Assert.Empty(extraction.Problems);
        Assert.Equal(6, extraction.Measurements.Count);
        Assert.Equal(2, extraction.Measurements.Count(m => m.Type == "heartrate"));
        Assert.Equal(2, extraction.Measurements.Count(m => m.Type == "bloodpressure"));
        Assert.Equal(2, extraction.Measurements.Count(m => m.Type == "respiratoryrate"));
        Assert.Equal("hr=75", Extracted.Values(extraction.Measurements.First(m => m.Type == "heartrate")));
        Assert.Equal("systolic=62,diastolic=30", Extracted.Values(extraction.Measurements.First(m => m.Type == "bloodpressure")));
        Assert.Equal("respiratoryrate=15", Extracted.Values(extraction.Measurements.First(m => m.Type == "respiratoryrate")));
        var first = extraction.Measurements[0];
        Assert.Equal("1qsi9p8t5l2", first.DeviceId);
        Assert.Equal("1qsi9p8t5l2", first.PatientId);
        Assert.Equal("2021-06-08T19:45:20.2020000Z", Extracted.Time(first));
    }

    [Theory]
    [InlineData("BloodPressure", "device123|2019-02-01T22:46:01|systolic=123,diastolic=87")]
    [InlineData("HeartRate", "device123|2019-02-01T22:46:01|hr=78")]
    [InlineData("MultipleMeasurements", "device123|2019-02-01T22:46:01|hr=78;device123|2019-02-01T22:46:01|steps=2")]
    [InlineData("MultipleMatches", "device123|2021-07-13T17:29:01|systolic=120,diastolic=80;device123|2021-07-13T17:28:01|systolic=122,diastolic=82")]
    // 78 inches × 0.0254 in double arithmetic, printed as the connector prints it.
    [InlineData("TransformData", "device123|2019-02-01T22:46:01|height=1.9811999999999999;device123|2019-02-01T23:46:01|height=1.9304")]
    public void CalculatedContentDocumentationExample_GivesDocumentedMeasurements(string example, string expected)
    {
        var extraction = Extracted.From(
            IomtCorpus.TestInput($"Documentation_CalculatedFunction_{example}_Template.json"),
            IomtCorpus.TestInput($"Documentation_CalculatedFunction_{example}_Payload.json"));

        Assert.Empty(extraction.Problems);
        var actual = string.Join(";", extraction.Measurements.Select(m =>
            $"{m.DeviceId}|{m.OccurrenceTimeUtc:yyyy-MM-ddTHH:mm:ss}|{Extracted.Values(m)}"));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void HeartRatesFromAnArray_EachBecomeAMeasurement()
    {
        var extraction = Extracted.From(
            IomtCorpus.TestInput("Documentation_CalculatedFunction_HeartRate_Template.json"),
            IomtCorpus.TestInput("Documentation_CalculatedFunction_MultipleMeasurements_FromArray_Payload.json"));

        Assert.Equal(["hr=78", "hr=81", "hr=72"], extraction.Measurements.Select(Extracted.Values));
        Assert.Equal(["20:46:01", "21:46:01", "22:46:01"], extraction.Measurements.Select(m => m.OccurrenceTimeUtc.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void HeartRateAndStepsTemplate_OnHrvOnly_GivesNothing()
    {
        var extraction = Extracted.From(
            IomtCorpus.TestInput("CollectionContentTemplateHrAndSteps.json"),
            """{"hrv": "5", "device": "abc", "date": "2026-11-23T10:00:00Z"}""");

        Assert.Empty(extraction.Measurements);
        Assert.Empty(extraction.Problems);
    }

    [Fact]
    public void HeartRateAndStepsTemplate_OnBoth_GivesTwo()
    {
        var extraction = Extracted.From(
            IomtCorpus.TestInput("CollectionContentTemplateHrAndSteps.json"),
            """{"heartrate": "60", "steps": "2", "device": "abc", "date": "2026-11-23T10:00:00Z"}""");

        Assert.Equal(["heartrate", "steps"], extraction.Measurements.Select(m => m.Type));
        Assert.All(extraction.Measurements, m => Assert.Equal("abc", m.DeviceId));
    }

    [Theory]
    [InlineData("CollectionContentTemplateInvalid.json", 3)]
    [InlineData("InvalidCollectionContentTemplateWithNoTemplateArray.json", 1)]
    [InlineData("InvalidTemplateType.json", 1)]
    [InlineData("InvalidJson.txt", 1)]
    [InlineData("CollectionContentTemplateEmpty.json", 1)]
    public void InvalidDeviceMapping_ReportsEveryErrorWithItsLine(string name, int atLeast)
    {
        var load = DeviceMapping.Load(IomtCorpus.TestInput(name));

        Assert.Null(load.Template);
        Assert.True(load.Errors.Count >= atLeast, string.Join(Environment.NewLine, load.Errors));
        Assert.All(load.Errors, e => Assert.True(e.Line > 0, e.ToString()));
    }

    [Fact]
    public void InvalidCollection_NamesEachMissingExpression()
    {
        var load = DeviceMapping.Load(IomtCorpus.TestInput("CollectionContentTemplateInvalid.json"));

        var messages = load.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.Contains("template[0].template") && m.Contains("deviceIdExpression"));
        Assert.Contains(messages, m => m.Contains("template[0].template") && m.Contains("timestampExpression"));
        Assert.Contains(messages, m => m.Contains("template[1].template") && m.Contains("typeMatchExpression"));
    }

    [Theory]
    [InlineData("CalculatedFunctionContentTemplateValidInvalidAndMissingMembers.json", "typeMatchExpression")]
    [InlineData("IotJsonPathContentTemplateInvalidMissingValueField.json", "valueName")]
    [InlineData("IotCentralJsonPathContentTemplateInvalidMissingTypeMetadata.json", "typeName")]
    [InlineData("JsonPathContentTemplateInvalidMissingExpression.json", "deviceIdExpression")]
    public void InvalidContentTemplate_SaysWhatIsMissing(string name, string missing)
    {
        var load = DeviceMapping.Load($$"""{"templateType": "CollectionContent", "template": [{{IomtCorpus.TestInput(name)}}]}""");

        Assert.Null(load.Template);
        Assert.Contains(load.Errors, e => e.Message.Contains(missing, StringComparison.Ordinal));
    }
}
