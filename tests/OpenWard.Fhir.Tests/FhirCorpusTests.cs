using System.Text.Json.Nodes;

namespace OpenWard.Fhir.Tests;

/// <summary>
/// The FHIR R4 core vital-signs examples and the Personal Health Device IG's examples read as
/// their publishers meant them (values and units quoted from the corpus's SOURCES.md).
/// </summary>
public sealed class FhirCorpusTests
{
    [Theory]
    [InlineData("observation-example-heart-rate.json")]
    [InlineData("observation-example-respiratory-rate.json")]
    [InlineData("observation-example-body-temperature.json")]
    [InlineData("observation-example-body-weight.json")]
    [InlineData("observation-example-bloodpressure.json")]
    public void CoreExample_WithOnlyADate_IsRefusedForWantOfATime(string name)
    {
        var observation = Assert.Single(FhirObservationReader.Read(FhirCorpus.Read("core-examples/" + name)).Observations);

        Assert.Null(observation.Submission);
        Assert.Contains("with a time and UTC offset", observation.Problem);
    }

    [Theory]
    [InlineData("observation-example-heart-rate.json", "heart-rate", 44, "/min")]
    [InlineData("observation-example-respiratory-rate.json", "respiratory-rate", 26, "/min")]
    [InlineData("observation-example-body-temperature.json", "body-temperature", 36.5, "Cel")]
    [InlineData("observation-example-body-weight.json", "body-weight", 185, "[lb_av]")]
    [InlineData("observation-example-satO2.json", "spo2", 95, "%")]
    public void CoreExample_WithATime_GivesItsValueAndUnit(string name, string vital, double value, string unit)
    {
        var observation = Assert.Single(FhirObservationReader.Read(WithTime(FhirCorpus.Read("core-examples/" + name))).Observations);

        Assert.True(observation.Submission is not null, observation.Problem);
        Assert.Equal((vital, value, unit), (observation.Submission.Vital, observation.Submission.Value!.Value, observation.Submission.Unit));
    }

    [Fact]
    public void CoreBloodPressure_GivesBothComponents()
    {
        var observation = Assert.Single(FhirObservationReader.Read(WithTime(FhirCorpus.Read("core-examples/observation-example-bloodpressure.json"))).Observations);

        Assert.Equal(new Dictionary<string, double> { ["systolic"] = 107, ["diastolic"] = 60 }, observation.Submission!.Components);
        Assert.Equal("mm[Hg]", observation.Submission.Unit);
    }

    [Fact]
    public void CoreBloodPressure_WithDiastolicAbsent_IsRefusedWithTheReason()
    {
        var observation = Assert.Single(FhirObservationReader.Read(WithTime(FhirCorpus.Read("core-examples/observation-example-bloodpressure-dar.json"))).Observations);

        Assert.Null(observation.Submission);
        Assert.Equal("diastolic: no value (data absent: not-performed)", observation.Problem);
    }

    [Theory]
    [InlineData("compound-numeric-blood-pressure.json", 116, 71, 86.0)]
    [InlineData("compound-numeric-blood-pressure-no-mean.json", 116, 71, null)]
    public void PhdCompoundBloodPressure_KeepsTheComponentsItHas(string name, double systolic, double diastolic, double? mean)
    {
        var observation = Assert.Single(FhirObservationReader.Read(FhirCorpus.Read("phd-ig-examples/" + name)).Observations);

        Assert.True(observation.Submission is not null, observation.Problem);
        var components = observation.Submission.Components!;
        Assert.Equal((systolic, diastolic), (components["systolic"], components["diastolic"]));
        Assert.Equal(mean, components.TryGetValue("mean", out var m) ? m : null);
        Assert.Equal("phd-711000FEFF5F49B0.B0495F001071", observation.DeviceId);
    }

    [Theory]
    [InlineData("temperature-observation.json", "body-temperature", 36.5, "Cel")]
    [InlineData("numeric-spo2-alarm.json", "spo2", 79, "%")]
    [InlineData("numeric-spotnumeric.json", "heart-rate", 48, "/min")]
    [InlineData("glucose-observation.json", "blood-glucose", 99, "mg/dL")]
    public void PhdNumericObservation_GivesItsReading(string name, string vital, double value, string unit)
    {
        var observation = Assert.Single(FhirObservationReader.Read(FhirCorpus.Read("phd-ig-examples/" + name)).Observations);

        Assert.True(observation.Submission is not null, observation.Problem);
        Assert.Equal((vital, value, unit), (observation.Submission.Vital, observation.Submission.Value!.Value, observation.Submission.Unit));
        Assert.NotNull(observation.DeviceId);
    }

    [Fact]
    public void PhdTimeWithAnOffset_IsKeptAsTheSameInstant()
    {
        var observation = Assert.Single(FhirObservationReader.Read(FhirCorpus.Read("phd-ig-examples/compound-numeric-blood-pressure.json")).Observations);

        Assert.Equal(new DateTimeOffset(2018, 11, 11, 16, 38, 15, TimeSpan.Zero), observation.Submission!.Time!.Value.ToUniversalTime());
    }

    [Fact]
    public void PhdNotANumberObservation_IsNotStoredAsANumber()
    {
        var observation = Assert.Single(FhirObservationReader.Read(FhirCorpus.Read("phd-ig-examples/numeric-observation-not-a-number.json")).Observations);

        Assert.Null(observation.Submission);
        Assert.Contains("not a vital sign", observation.Problem);
    }

    [Fact]
    public void PhdGatewayTransaction_ResolvesTheDeviceEntry_AndAcknowledgesContextEntries()
    {
        var request = FhirObservationReader.Read(FhirCorpus.Read("phd-ig-examples/bundle-example-1.json"));

        Assert.Equal("transaction", request.BundleType);
        Assert.Equal(["Patient", "Device", "Device"], request.Observations.Take(3).Where(o => o.Note is not null).Select(o => o.Raw));
        var readings = request.Observations.Where(o => o.Submission is not null).ToList();
        Assert.Equal([("spo2", 98.0), ("heart-rate", 47.0)], readings.Select(o => (o.Submission!.Vital!, o.Submission.Value!.Value)));
        Assert.All(readings, o => Assert.Equal(["00-1C-05-04-00-00-78-25", "00-1C-05-00-78-25", "phd-001"], o.DeviceCandidates));
        // The gateway's time-synchronisation observation is acknowledged, not stored, and nothing is refused.
        Assert.Contains("is not a vital sign", request.Observations[3].Note);
        Assert.All(request.Observations, o => Assert.Null(o.Problem));
    }

    [Fact]
    public void PhdContinuousOximetry_GivesAnSpo2AndAPulseEverySecond()
    {
        var request = FhirObservationReader.Read(FhirCorpus.Read("phd-ig-examples/bundle-continuousnonin.json"));

        var readings = request.Observations.Where(o => o.Submission is not null).Select(o => o.Submission!).ToList();
        Assert.Equal(12, readings.Count(r => r.Vital == "spo2"));
        Assert.Equal(12, readings.Count(r => r.Vital == "heart-rate"));
        Assert.All(readings, r => Assert.InRange(r.Value!.Value, 40, 100));
    }

    /// <summary>The example with its date-only effective time replaced by a full time.</summary>
    private static string WithTime(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("effectivePeriod");
        node["effectiveDateTime"] = "2026-11-23T08:00:00Z";
        return node.ToJsonString();
    }
}
