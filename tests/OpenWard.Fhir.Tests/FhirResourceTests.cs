using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Core.Alerting;
using OpenWard.Core.Alerts;
using OpenWard.Core.Readings;
using OpenWard.Core.Vitals;
using OpenWard.Tests.Shared.Fhir;

namespace OpenWard.Fhir.Tests;

/// <summary>
/// Stored readings, patients, devices and alerts as the FHIR API serves them, each checked by the
/// Firely validator against the R4 profiles it claims (the vital-signs profiles) and base R4.
/// </summary>
public sealed class FhirResourceTests
{
    private static readonly DateTimeOffset Measured = SampleReadings.Measured;

    [Theory]
    [MemberData(nameof(SampleReadings.EveryVitalSign), MemberType = typeof(SampleReadings))]
    public void Observation_OfEveryVitalSign_ConformsToItsProfile(string vital)
    {
        var observation = ObservationResources.From(4711, SampleReadings.Of(vital));

        FhirProfileValidator.AssertValid(observation);
        Assert.Equal(ObservationStatus.Final, observation.Status);
        Assert.Equal("Patient/pat-0a1b2c", observation.Subject!.Reference);
        Assert.Equal("Device/oxi-7", observation.Device!.Reference);
        Assert.Equal(Measured, ((FhirDateTime)observation.Effective!).ToDateTimeOffset(TimeSpan.Zero));
    }

    [Theory]
    [InlineData("heart-rate", "http://hl7.org/fhir/StructureDefinition/heartrate", "8867-4", "147842")]
    [InlineData("spo2", "http://hl7.org/fhir/StructureDefinition/oxygensat", "59408-5", "150456")]
    [InlineData("respiratory-rate", "http://hl7.org/fhir/StructureDefinition/resprate", "9279-1", "151562")]
    [InlineData("blood-pressure", "http://hl7.org/fhir/StructureDefinition/bp", "85354-9", "150020")]
    [InlineData("body-temperature", "http://hl7.org/fhir/StructureDefinition/bodytemp", "8310-5", "150364")]
    [InlineData("body-weight", "http://hl7.org/fhir/StructureDefinition/bodyweight", "29463-7", "188736")]
    [InlineData("blood-glucose", ObservationResources.VitalSignsProfile, "2339-0", "160184")]
    public void VitalSign_ClaimsItsProfile_WithLoincAndMdc(string vital, string profile, string loinc, string mdc)
    {
        var observation = ObservationResources.From(1, SampleReadings.Of(vital));

        Assert.Equal([profile], observation.Meta!.Profile);
        Assert.Equal("vital-signs", observation.Category.Single().Coding.Single().Code);
        Assert.Contains(observation.Code!.Coding, c => c.System == "http://loinc.org" && c.Code == loinc);
        Assert.Contains(observation.Code.Coding, c => c.System == "urn:iso:std:iso:11073:10101" && c.Code == mdc);
    }

    [Fact]
    public void BloodPressure_IsComponentsInUcum()
    {
        var observation = ObservationResources.From(1, SampleReadings.Of("blood-pressure"));

        Assert.Null(observation.Value);
        var parts = observation.Component.ToDictionary(c => c.Code!.Coding[0].Code!, c => (Quantity)c.Value!);
        Assert.Equal([("8480-6", 128m), ("8462-4", 82m), ("8478-0", 97m)], parts.Select(p => (p.Key, p.Value.Value!.Value)));
        Assert.All(parts.Values, q => Assert.Equal(("http://unitsofmeasure.org", "mm[Hg]", "mmHg"), (q.System, q.Code, q.Unit)));
    }

    [Theory]
    [InlineData("step-count", "http://terminology.hl7.org/CodeSystem/observation-category", "activity")]
    [InlineData("fall", "urn:openward:observation-category", "device-event")]
    [InlineData("emergency-call", "urn:openward:observation-category", "device-event")]
    [InlineData("device-battery", "urn:openward:observation-category", "device-status")]
    public void NotAVitalSign_IsFiledUnderItsOwnCategory_WithoutAProfile(string vital, string system, string category)
    {
        var observation = ObservationResources.From(1, SampleReadings.Of(vital));

        Assert.Empty(observation.Meta!.Profile);
        Assert.Equal((system, category), (observation.Category[0].Coding[0].System, observation.Category[0].Coding[0].Code));
    }

    [Fact]
    public void SameReading_ServedTwice_HasTheSameIdAndContent()
    {
        var first = ObservationResources.From(4711, SampleReadings.Of("heart-rate"));
        var second = ObservationResources.From(4711, SampleReadings.Of("heart-rate"));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(JsonSerializer.Serialize<Resource>(first, FhirJson.Options), JsonSerializer.Serialize<Resource>(second, FhirJson.Options));
    }

    [Fact]
    public void ObservationId_ReadsBackIntoItsStoredKeyAndTime()
    {
        var id = ObservationIds.Of(4711, Measured);

        Assert.True(ObservationIds.TryParse(id, out var stored, out var time));
        Assert.Equal((4711L, Measured), (stored, time));
    }

    [Theory]
    [InlineData("4711")]
    [InlineData("-4711")]
    [InlineData("abc-1")]
    [InlineData("1-")]
    [InlineData("1-2-3")]
    [InlineData("+1-2")]
    [InlineData("99999999999999999999-1")]
    public void ObservationId_NotGivenByOpenWard_IsNotRead(string id) => Assert.False(ObservationIds.TryParse(id, out _, out _));

    [Theory]
    [MemberData(nameof(SampleReadings.EveryVitalSign), MemberType = typeof(SampleReadings))]
    public void Observation_ReadBackAsSubmitted_GivesTheSameReading(string vital)
    {
        var reading = SampleReadings.Of(vital);
        if (VitalSignCatalogue.Find(vital)!.Loinc is null)
        {
            return; // only LOINC- and MDC-coded signs are taken in over FHIR
        }

        var json = JsonSerializer.Serialize<Resource>(ObservationResources.From(1, reading), FhirJson.Options);
        var submission = Assert.Single(FhirObservationReader.Read(json).Observations).Submission;

        Assert.NotNull(submission);
        Assert.Equal((reading.Vital, reading.Value, reading.Unit, reading.DeviceTime), (submission.Vital, submission.Value, submission.Unit, submission.Time));
        Assert.Equal(reading.Components?.OrderBy(c => c.Key), submission.Components?.OrderBy(c => c.Key));
    }

    [Fact]
    public void Validator_RefusesAHeartRateInTheWrongUnit()
    {
        var observation = ObservationResources.From(1, SampleReadings.Of("heart-rate") with { Unit = "kg" });

        Assert.NotEmpty(FhirProfileValidator.Errors(observation));
    }

    [Fact]
    public void Patient_WithMrn_Conforms()
    {
        var patient = PatientResources.From("pat-0a1b2c", "Ada Lovelace", "MRN-1815");

        FhirProfileValidator.AssertValid(patient);
        Assert.Equal("Ada Lovelace", patient.Name.Single().Text);
        Assert.Contains(patient.Identifier, i => i.Value == "MRN-1815" && i.Type?.Coding[0].Code == "MR");
    }

    [Fact]
    public void Device_WithFirmwareAndPatient_Conforms()
    {
        var device = DeviceResources.From("oxi-7", "Nonin 3230", "SN-501", "2.4.1", "pat-0a1b2c", revoked: false);

        FhirProfileValidator.AssertValid(device);
        Assert.Equal(("Nonin 3230", "SN-501", "2.4.1", "Patient/pat-0a1b2c"), (device.ModelNumber, device.SerialNumber, device.Version.Single().Value, device.Patient!.Reference));
    }

    [Fact]
    public void Device_WhoseIdFhirCannotCarry_IsNamedByItsIdentifier()
    {
        var device = DeviceResources.From("oxi_7", "Nonin 3230", "SN-501", null, null, revoked: true);

        FhirProfileValidator.AssertValid(device);
        Assert.Null(device.Id);
        Assert.Null(DeviceResources.Reference("oxi_7").Reference);
        Assert.Equal(Device.FHIRDeviceStatus.Inactive, device.Status);
    }

    [Theory]
    [InlineData(AlertState.Raised, AlertSeverity.Critical, "PH")]
    [InlineData(AlertState.Acknowledged, AlertSeverity.Urgent, "PM")]
    [InlineData(AlertState.Resolved, AlertSeverity.Warning, "PL")]
    public void Alert_AsFlag_Conforms(AlertState state, AlertSeverity severity, string priority)
    {
        var alert = new AlertStatus
        {
            Severity = severity,
            State = state,
            Summary = "Heart rate 142 /min above 130",
            RaisedAt = Measured,
            UpdatedAt = Measured.AddMinutes(5),
            ResolvedAt = state == AlertState.Resolved ? Measured.AddMinutes(5) : null,
            EscalationTier = 0,
        };

        var flag = FlagResources.From("alert-1", "pat-0a1b2c", "heart-rate-high", alert);

        FhirProfileValidator.AssertValid(flag);
        Assert.Equal(state == AlertState.Resolved ? Flag.FlagStatus.Inactive : Flag.FlagStatus.Active, flag.Status);
        Assert.Equal(priority, ((CodeableConcept)flag.GetExtension(FlagResources.PriorityExtension)!.Value!).Coding[0].Code);
    }
}
