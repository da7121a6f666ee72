using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Core.Readings;
using OpenWard.Tests.Shared.Fhir;

namespace OpenWard.Fhir.Tests;

/// <summary>
/// The bulk export's Observation writer against the mapping it must repeat: for every kind of reading
/// the catalogue has, its JSON parses to the same members and values as the SDK's serialisation of
/// <see cref="ObservationResources.From(long, Reading)"/>, and it passes the Firely validator.
/// </summary>
public sealed class ObservationJsonTests
{
    [Theory]
    [MemberData(nameof(SampleReadings.EveryVitalSign), MemberType = typeof(SampleReadings))]
    public void EveryVitalSign_IsWrittenAsTheSdkWritesIt_AndConforms(string vital)
    {
        var reading = SampleReadings.Of(vital);

        AssertSameAsSdk(4711, reading);
        FhirProfileValidator.AssertValid(JsonSerializer.Deserialize<Resource>(FastJson(4711, reading), FhirJson.Options)!);
    }

    public static TheoryData<string, string> BloodPressures() => new()
    {
        { "all three", """{"systolic":128,"diastolic":82,"mean":97}""" },
        { "without the mean", """{"systolic":141,"diastolic":90}""" },
        { "given in another order", """{"mean":93.3,"diastolic":70,"systolic":140}""" },
        { "with a part the catalogue does not know", """{"systolic":120,"diastolic":80,"pulse":61}""" },
        { "with decimals", """{"systolic":127.5,"diastolic":82.25,"mean":97.333333333333}""" },
    };

    [Theory]
    [MemberData(nameof(BloodPressures))]
    public void BloodPressure_IsWrittenWithItsComponents(string kind, string components)
    {
        var reading = SampleReadings.Of("blood-pressure") with { Components = JsonSerializer.Deserialize<Dictionary<string, double>>(components) };

        AssertSameAsSdk(12, reading, kind);
    }

    [Theory]
    [InlineData("heart-rate", "{beats}/min", 72)]
    [InlineData("respiratory-rate", "{breaths}/min", 16)]
    [InlineData("body-temperature", "[degF]", 98.6)]
    [InlineData("blood-pressure", "kPa", 0)]
    [InlineData("body-weight", "[lb_av]", 154.3)]
    [InlineData("blood-glucose", "mmol/L", 5.4)]
    [InlineData("step-count", "1", 1200)]
    [InlineData("heart-rate", "beats \"per\" minute <µ>", 60)]
    public void UnusualUnit_IsWrittenAsGiven(string vital, string unit, double value)
    {
        var reading = SampleReadings.Of(vital) with { Unit = unit };
        reading = reading.Components is null ? reading with { Value = value } : reading;

        AssertSameAsSdk(3, reading);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.0)]
    [InlineData(-12.5)]
    [InlineData(0.1)]
    [InlineData(0.30000000000000004)]
    [InlineData(1e-7)]
    [InlineData(1.0000000000000002)]
    [InlineData(36.6)]
    [InlineData(98.6)]
    [InlineData(99999.99999)]
    [InlineData(123456789.123456789)]
    [InlineData(1e15)]
    [InlineData(12345678901234567890.0)]
    [InlineData(7.9e27)]
    [InlineData(double.Epsilon)]
    public void ExtremeValue_IsWrittenAsTheSdkRoundsIt(double value)
    {
        AssertSameAsSdk(5, SampleReadings.Of("body-weight") with { Value = value });
        AssertSameAsSdk(6, SampleReadings.Of("blood-pressure") with { Components = new Dictionary<string, double> { ["systolic"] = value, ["diastolic"] = value } });
    }

    public static TheoryData<DateTimeOffset, DateTimeOffset> Times() => new()
    {
        { SampleReadings.Measured, SampleReadings.Measured.AddSeconds(2) },
        { new DateTimeOffset(2026, 12, 6, 9, 30, 15, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 9, 30, 16, TimeSpan.Zero) },
        { new DateTimeOffset(2026, 1, 1, 0, 0, 0, 1, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 0, 0, 10, TimeSpan.Zero) },
        { new DateTimeOffset(2026, 6, 30, 23, 59, 59, 999, TimeSpan.FromHours(5.5)), new DateTimeOffset(2026, 7, 1, 0, 0, 0, 100, TimeSpan.FromHours(-8)) },
        { new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 3, 29, 1, 30, 0, 500, TimeSpan.FromHours(14)) },
        { new DateTimeOffset(2026, 12, 6, 9, 30, 15, 250, TimeSpan.Zero).AddTicks(1234), SampleReadings.Measured.AddTicks(5) },
        { DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch },
        { new DateTimeOffset(1969, 12, 31, 23, 59, 59, 999, TimeSpan.Zero), new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero) },
        { DateTimeOffset.FromUnixTimeMilliseconds(1_764_959_400_000), DateTimeOffset.FromUnixTimeMilliseconds(1_764_959_400_250) },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void TimesInAnyZoneAndPrecision_AreWrittenAsTheSdkWritesThem(DateTimeOffset measured, DateTimeOffset received)
    {
        AssertSameAsSdk(7, SampleReadings.Of("heart-rate") with { DeviceTime = measured, ReceivedTime = received });
        AssertSameAsSdk(8, SampleReadings.Of("fall") with { DeviceTime = measured, ReceivedTime = received });
    }

    [Theory]
    [InlineData("oxi-7", "pat-0a1b2c")]
    [InlineData("hub_3.ward-b", "pat-0a1b2c")]
    [InlineData("a-device-id-of-sixty-five-characters-which-fhir-cannot-use-as-an-id", "p")]
    [InlineData("Ωmeter \"quoted\"", "pat/with slash & <amp>")]
    public void DeviceAndPatient_AreReferencedAsTheSdkReferencesThem(string deviceId, string patientId)
    {
        AssertSameAsSdk(9, SampleReadings.Of("spo2") with { DeviceId = deviceId, PatientId = patientId });
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(long.MaxValue)]
    public void StoredId_IsPartOfTheId(long storedId)
    {
        AssertSameAsSdk(storedId, SampleReadings.Of("step-count"));
    }

    [Fact]
    public void MeasurementWithoutAValue_HasNoValue()
    {
        AssertSameAsSdk(10, SampleReadings.Of("heart-rate") with { Value = null });
        AssertSameAsSdk(11, SampleReadings.Of("blood-pressure") with { Components = new Dictionary<string, double>() });
    }

    [Fact]
    public void ReadingsOfManyKinds_WrittenOneAfterAnother_EachMatchTheirOwn()
    {
        // One writer keeps the subject, device and units it last wrote: a change of any of them must show.
        var writer = new ObservationJson();
        var readings = new[]
        {
            SampleReadings.Of("heart-rate"),
            SampleReadings.Of("heart-rate") with { PatientId = "pat-other", DeviceId = "hub_3" },
            SampleReadings.Of("blood-pressure"),
            SampleReadings.Of("body-temperature") with { Unit = "[degF]", Value = 99.1 },
            SampleReadings.Of("fall") with { DeviceId = "oxi-7" },
            SampleReadings.Of("heart-rate"),
        };

        for (var i = 0; i < readings.Length; i++)
        {
            AssertEqualJson(SdkJson(i, readings[i]), FastJson(i, readings[i], writer), readings[i].Vital);
        }
    }

    private static void AssertSameAsSdk(long storedId, Reading reading, string? kind = null) =>
        AssertEqualJson(SdkJson(storedId, reading), FastJson(storedId, reading), kind ?? reading.Vital);

    private static void AssertEqualJson(string expected, string actual, string kind)
    {
        using var sdk = JsonDocument.Parse(expected);
        using var fast = JsonDocument.Parse(actual);
        Assert.True(JsonElement.DeepEquals(sdk.RootElement, fast.RootElement), $"{kind}:\nSDK:  {expected}\nfast: {actual}");
    }

    private static string SdkJson(long storedId, Reading reading) =>
        JsonSerializer.Serialize<Resource>(ObservationResources.From(storedId, reading), FhirJson.Options);

    private static string FastJson(long storedId, Reading reading, ObservationJson? writer = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, ObservationJson.WriterOptions))
        {
            (writer ?? new ObservationJson()).Write(json, storedId, reading);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
