using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;
using OpenWard.Tests.Shared.Fhir;

namespace OpenWard.Server.Tests;

/// <summary>
/// The FHIR read API as a record system meets it: the CapabilityStatement, every kind of reading as an
/// Observation validated against its R4 profile, reads by id, Patients and Devices, who may read what,
/// and the audit trail of each read.
/// </summary>
public sealed class FhirReadApiTests(RunningServer server) : IClassFixture<RunningServer>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Metadata_IsACapabilityStatement_OfEveryResourceSearchAndOperation_WithSmartSecurity()
    {
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        var (status, statement) = await anonymous.GetFhirAsync("/fhir/metadata");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(FhirProfileValidator.Errors(statement.GetRawText()));
        var rest = statement.GetProperty("rest")[0];
        var resources = rest.GetProperty("resource").EnumerateArray().ToDictionary(r => r.GetProperty("type").GetString()!);
        Assert.Equal(["patient", "category", "code", "date"], Names(resources["Observation"], "searchParam"));
        Assert.Equal(["lastn"], Names(resources["Observation"], "operation"));
        Assert.Equal(["identifier"], Names(resources["Patient"], "searchParam"));
        Assert.Equal(["patient"], Names(resources["Device"], "searchParam"));
        Assert.Equal(["patient"], Names(resources["Flag"], "searchParam"));
        Assert.Equal(["export"], Names(resources["Patient"], "operation"));
        Assert.Equal(["export"], Names(resources["Group"], "operation"));
        Assert.Equal("SMART-on-FHIR", rest.GetProperty("security").GetProperty("service")[0].GetProperty("coding")[0].GetProperty("code").GetString());
        var oauth = rest.GetProperty("security").GetProperty("extension")[0];
        Assert.Equal("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris", oauth.GetProperty("url").GetString());
        Assert.Contains(oauth.GetProperty("extension").EnumerateArray(), e => e.GetProperty("valueUri").GetString() == $"{server.BaseAddress.ToString().TrimEnd('/')}/connect/token");
    }

    [Fact]
    public async Task EveryKindOfReading_IsAnObservation_ConformingToItsProfile_AndReadsBackTheSame()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        await server.PublishAsync(deviceId, secret,
            FhirReading.Value("heart-rate", Start, 72, "/min"),
            FhirReading.Value("spo2", Start.AddSeconds(1), 96, "%"),
            FhirReading.Value("respiratory-rate", Start.AddSeconds(2), 16, "/min"),
            FhirReading.BloodPressure(Start.AddSeconds(3), 128, 82),
            FhirReading.Value("body-temperature", Start.AddSeconds(4), 37.2, "Cel"),
            FhirReading.Value("body-weight", Start.AddSeconds(5), 81.4, "kg"),
            FhirReading.Value("blood-glucose", Start.AddSeconds(6), 110, "mg/dL"),
            FhirReading.Value("step-count", Start.AddSeconds(7), 1200, "{steps}"),
            FhirReading.Value("fall", Start.AddSeconds(8), 1, "{event}"));

        var (status, bundle) = await server.Clinician.GetFhirAsync($"/fhir/Observation?patient={patientId}");

        Assert.Equal(HttpStatusCode.OK, status);
        var observations = FhirReading.Entries(bundle);
        Assert.Equal(9, observations.Count);
        Assert.Equal(9, bundle.GetProperty("total").GetInt32());
        Assert.Empty(FhirProfileValidator.Errors(bundle.GetRawText()));
        foreach (var observation in observations)
        {
            Assert.Empty(FhirProfileValidator.Errors(observation.GetRawText()));
            Assert.Equal($"Patient/{patientId}", observation.GetProperty("subject").GetProperty("reference").GetString());
            Assert.Equal($"Device/{deviceId}", observation.GetProperty("device").GetProperty("reference").GetString());
            var id = observation.GetProperty("id").GetString();
            var first = await server.Clinician.GetStringAsync($"/fhir/Observation/{id}", TestContext.Current.CancellationToken);
            var second = await server.Clinician.GetStringAsync($"/fhir/Observation/{id}", TestContext.Current.CancellationToken);
            Assert.Equal(first, second);
            Assert.Equal(observation.GetRawText(), JsonDocument.Parse(first).RootElement.GetRawText());
        }

        var pressure = observations.Single(o => o.GetProperty("meta").TryGetProperty("profile", out var p) && p[0].GetString()!.EndsWith("/bp", StringComparison.Ordinal));
        Assert.Equal([128m, 82m], pressure.GetProperty("component").EnumerateArray().Select(c => c.GetProperty("valueQuantity").GetProperty("value").GetDecimal()));
    }

    [Fact]
    public async Task Observation_WithAnIdNotGiven_IsNotFound_AsAnOperationOutcome()
    {
        foreach (var id in new[] { "nothing", "1764959400000-999999999" })
        {
            var (status, outcome) = await server.Clinician.GetFhirAsync($"/fhir/Observation/{id}");

            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        }
    }

    [Fact]
    public async Task AnotherWardsClinician_NeitherReadsNorSearchesThePatientsObservations_ThePatientThemselfDoes()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        await server.PublishAsync(deviceId, secret, FhirReading.Value("heart-rate", Start, 64, "/min"));
        var id = FhirReading.Entries((await server.Clinician.GetFhirAsync($"/fhir/Observation?patient={patientId}")).Body).Single().GetProperty("id").GetString();
        var stranger = await server.SignInPersonAsync("clinician", await server.AddCareTeamAsync("Stranger ward " + Guid.NewGuid().ToString("N")[..6]));
        var self = await server.SignInPersonAsync("patient", patientId: patientId);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetFhirAsync($"/fhir/Observation/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetFhirAsync($"/fhir/Observation?patient={patientId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetFhirAsync($"/fhir/Patient/{patientId}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await self.GetFhirAsync($"/fhir/Observation/{id}")).Status);
        Assert.Single(FhirReading.Entries((await self.GetFhirAsync($"/fhir/Observation?patient=Patient/{patientId}")).Body));
    }

    [Fact]
    public async Task Patient_ReadAndFoundByMrn_Conforms_AndOnlyTheVisibleAreFound()
    {
        var mrn = "MRN-" + Guid.NewGuid().ToString("N")[..8];
        using var added = await server.Admin.PostAsJsonAsync("/api/v1/patients", new { name = "Grace Hopper", mrn, careTeamId = server.TestWardId }, TestContext.Current.CancellationToken);
        var patientId = (await added.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString()!;

        var (status, patient) = await server.Clinician.GetFhirAsync($"/fhir/Patient/{patientId}");
        var byMrn = (await server.Clinician.GetFhirAsync($"/fhir/Patient?identifier={mrn}")).Body;
        var bySystem = (await server.Clinician.GetFhirAsync($"/fhir/Patient?identifier=urn:openward:mrn|{mrn}")).Body;
        var stranger = await server.SignInPersonAsync("nurse", await server.AddCareTeamAsync("Other ward " + Guid.NewGuid().ToString("N")[..6]));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(FhirProfileValidator.Errors(patient.GetRawText()));
        Assert.Equal("Grace Hopper", patient.GetProperty("name")[0].GetProperty("text").GetString());
        Assert.Equal(patientId, FhirReading.Entries(byMrn).Single().GetProperty("id").GetString());
        Assert.Equal(patientId, FhirReading.Entries(bySystem).Single().GetProperty("id").GetString());
        Assert.Empty(FhirReading.Entries((await stranger.GetFhirAsync($"/fhir/Patient?identifier={mrn}")).Body));
        Assert.DoesNotContain(FhirReading.Entries((await stranger.GetFhirAsync("/fhir/Patient")).Body), p => p.GetProperty("id").GetString() == patientId);
    }

    [Fact]
    public async Task Device_OfAPatient_HasItsModelSerialAndFirmware_AndConforms()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync(model: "Nonin 3230");
        using var firmware = await server.Admin.PutAsJsonAsync($"/api/v1/devices/{deviceId}/firmware", new { version = "2.4.1" }, TestContext.Current.CancellationToken);
        firmware.EnsureSuccessStatusCode();

        var (status, bundle) = await server.Clinician.GetFhirAsync($"/fhir/Device?patient={patientId}");

        Assert.Equal(HttpStatusCode.OK, status);
        var device = FhirReading.Entries(bundle).Single();
        Assert.Empty(FhirProfileValidator.Errors(device.GetRawText()));
        Assert.Equal((deviceId, "Nonin 3230", "SN-" + deviceId, "2.4.1", $"Patient/{patientId}"), (
            device.GetProperty("id").GetString(), device.GetProperty("modelNumber").GetString(), device.GetProperty("serialNumber").GetString(),
            device.GetProperty("version")[0].GetProperty("value").GetString(), device.GetProperty("patient").GetProperty("reference").GetString()));
    }

    [Fact]
    public async Task Alert_OfAFall_IsAnActiveFlagOfHighPriority_AndConforms()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        await server.PublishAsync(deviceId, secret, FhirReading.Value("fall", DateTimeOffset.UtcNow.AddSeconds(-1), 1, "{event}"));
        await server.WaitForAlertAsync(patientId);

        var (status, bundle) = await server.Clinician.GetFhirAsync($"/fhir/Flag?patient={patientId}");

        Assert.Equal(HttpStatusCode.OK, status);
        var flag = FhirReading.Entries(bundle).Single();
        Assert.Empty(FhirProfileValidator.Errors(flag.GetRawText()));
        Assert.Equal(("active", $"Patient/{patientId}", "PH"), (flag.GetProperty("status").GetString(), flag.GetProperty("subject").GetProperty("reference").GetString(),
            flag.GetProperty("extension")[0].GetProperty("valueCodeableConcept").GetProperty("coding")[0].GetProperty("code").GetString()));
    }

    [Fact]
    public async Task ReadingObservations_IsAuditedAgainstThePatient()
    {
        var (_, _, patientId) = await server.AssignedDeviceAsync();

        await server.Clinician.GetFhirAsync($"/fhir/Observation?patient={patientId}&code=http://loinc.org|8867-4");
        await server.Clinician.GetFhirAsync($"/fhir/Observation/$lastn?patient={patientId}");

        // The trail is written once the answer is sent.
        await Eventually.TrueAsync(async () =>
        {
            var trail = (await server.Admin.GetFhirAsync($"/fhir/AuditEvent?patient={patientId}")).Body;
            var actions = FhirReading.Entries(trail).Select(e => e.GetProperty("subtype")[0].GetProperty("code").GetString()).ToList();
            return actions.Contains("GET /fhir/Observation/") && actions.Contains("GET /fhir/Observation/$lastn");
        }, "both FHIR reads in the patient's audit trail");
    }

    private static List<string> Names(JsonElement resource, string property) =>
        [.. resource.GetProperty(property).EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];
}
