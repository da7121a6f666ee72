using OpenWard.Core.Readings;
using OpenWard.Mapping.Destination;

namespace OpenWard.Mapping.Tests;

/// <summary>FHIR destination mappings from the IoMT FHIR Connector's samples tie measurement types to the catalogue.</summary>
public sealed class IomtCorpusFhirMappingTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MultipleObservationsSample_BecomesReadings_AndRefusesWhatIsNotAVitalSign()
    {
        var fhir = FhirMapping.Load(IomtCorpus.Read("sample-templates/iotjsonpath_multiple__fhir-destination-mapping.json"));
        Assert.True(fhir.Template is not null, string.Join(Environment.NewLine, fhir.Errors));
        // Heart-rate variability has no place in the vital-sign catalogue: loaded, with a warning.
        Assert.Contains(fhir.Warnings, w => w.Message.Contains("HeartRateVariability", StringComparison.Ordinal));

        var extraction = Extracted.From(
            IomtCorpus.Read("sample-templates/iotjsonpath_multiple__device-mapping.json"),
            IomtCorpus.Read("sample-templates/iotjsonpath_multiple__test-device-message.json"),
            deviceId: "gateway-7",
            received: Received);

        // The sample's README: five measurements from one message.
        Assert.Equal(["HeartRate", "HeartRateVariability", "RespiratoryRate", "BodyTemperature", "BloodPressure"], extraction.Measurements.Select(m => m.Type));
        Assert.All(extraction.Measurements, m => Assert.Equal("gateway-7", m.DeviceId));
        Assert.All(extraction.Measurements, m => Assert.Equal(Received, m.OccurrenceTimeUtc));

        var conversions = extraction.Measurements.Select(fhir.Template!.ToReading).ToList();
        Assert.Equal(78, conversions[0].Reading!.Value);
        Assert.Equal("heart-rate", conversions[0].Reading!.Vital);
        Assert.Contains("not stored", conversions[1].Problem);
        Assert.Equal(12, conversions[2].Reading!.Value);
        Assert.Equal(new Dictionary<string, double> { ["systolic"] = 120, ["diastolic"] = 80 }, conversions[4].Reading!.Components);
        Assert.Equal("mm[Hg]", conversions[4].Reading!.Unit);

        // The sample labels 98.6 (a Fahrenheit value) as degC: validation refuses it, with the reason.
        var temperature = ReadingValidator.Check(conversions[3].Reading!, "gateway-7", Received);
        Assert.Null(temperature.Reading);
        Assert.Contains("98.6", temperature.Problem);
    }

    [Fact]
    public void BasicSample_WithDiastolicCodedAsHeartRate_IsRefusedWithTheLocation()
    {
        var load = FhirMapping.Load(IomtCorpus.Read("sample-templates/basic__fhirmapping.json"));

        Assert.Null(load.Template);
        var error = Assert.Single(load.Errors, e => e.Message.Contains("component of blood pressure", StringComparison.Ordinal));
        Assert.Contains("components[0].codes", error.Path);
        Assert.True(error.Line > 0);
    }

    [Fact]
    public void InvalidCollection_ReportsMissingTypeNameAndDuplicates()
    {
        var load = FhirMapping.Load(IomtCorpus.TestInput("CollectionFhirTemplateInvalid.json"));

        Assert.Null(load.Template);
        Assert.Contains(load.Errors, e => e.Message.Contains("\"typeName\" is required", StringComparison.Ordinal));
        Assert.Contains(load.Errors, e => e.Message.Contains("duplicate template for type name \"steps\"", StringComparison.Ordinal));
        Assert.Contains(load.Errors, e => e.Message.Contains("valueName", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("InvalidCollectionFhirTemplateWithNoTemplateArray.json")]
    [InlineData("InvalidTemplateType.json")]
    [InlineData("InvalidJson.txt")]
    public void MalformedFhirMapping_IsRefused(string name)
    {
        var load = FhirMapping.Load(IomtCorpus.TestInput(name));

        Assert.Null(load.Template);
        Assert.NotEmpty(load.Errors);
    }
}
