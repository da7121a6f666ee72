using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using OpenWard.Fhir;
using OpenWard.Testing;
using OpenWard.Tests.Shared;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Server.Tests;

public sealed class FhirIngestTests(RunningServer server) : IClassFixture<RunningServer>
{
    private static Observation HeartRate(string deviceId, string? patientId, DateTimeOffset time, decimal value) => new()
    {
        Status = ObservationStatus.Final,
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")],
        Code = new CodeableConcept("http://loinc.org", "8867-4", "Heart rate"),
        Subject = patientId is null ? null : new ResourceReference($"Patient/{patientId}"),
        Device = new ResourceReference($"Device/{deviceId}"),
        Effective = new FhirDateTime(time),
        Value = new Quantity(value, "/min") { System = "http://unitsofmeasure.org", Code = "/min", Unit = "beats/minute" },
    };

    private static Observation BloodPressure(string deviceId, DateTimeOffset time) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", "85354-9", "Blood pressure panel"),
        Device = new ResourceReference($"Device/{deviceId}"),
        Effective = new FhirDateTime(time),
        Component =
        [
            new Observation.ComponentComponent
            {
                Code = new CodeableConcept("urn:iso:std:iso:11073:10101", "150021", "MDC_PRESS_BLD_NONINV_SYS"),
                Value = new Quantity(124, "mm[Hg]") { System = "http://unitsofmeasure.org", Code = "mm[Hg]" },
            },
            new Observation.ComponentComponent
            {
                Code = new CodeableConcept("http://loinc.org", "8462-4"),
                Value = new Quantity(78, "mm[Hg]") { System = "http://unitsofmeasure.org", Code = "mm[Hg]" },
            },
        ],
    };

    private async Task<FhirClient> ClientAsync()
    {
        var http = await server.SignInAsync(await server.ReadBootstrapCredentialsAsync());
        return new FhirClient(new Uri(server.BaseAddress, "/fhir/"), http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json });
    }

    [Fact]
    public async Task Observation_CreatedWithFhirClient_IsStoredForTheDevicesPatient()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();
        using var client = await ClientAsync();

        var created = await client.CreateAsync(HeartRate(deviceId, patientId, DateTimeOffset.UtcNow.AddMinutes(-2), 68));

        Assert.False(string.IsNullOrEmpty(created!.Id));
        var latest = Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
        Assert.Equal(("heart-rate", 68.0), (latest.GetProperty("vital").GetString(), latest.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task Observation_Created_IsReadAtItsLocation_AndSentAgainGivesTheSameId()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();
        var observation = HeartRate(deviceId, patientId, DateTimeOffset.UtcNow.AddMinutes(-3), 71);
        using var http = await server.SignInAsync(await server.ReadBootstrapCredentialsAsync());

        using var first = await PostAsync(http, "/fhir/Observation", observation);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var location = first.Headers.Location!.OriginalString;
        var id = location["/fhir/Observation/".Length..];
        Assert.Equal(id, (await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString());

        // Read where the answer said, by a clinician of the patient's ward: the Observation as OpenWard serves it.
        var served = await server.Clinician.GetFromJsonAsync<JsonElement>(location, TestContext.Current.CancellationToken);
        Assert.Equal((id, 71.0), (served.GetProperty("id").GetString(), served.GetProperty("valueQuantity").GetProperty("value").GetDouble()));

        // The same Observation sent again (a retry) is the same stored reading, under the same id; so in a batch Bundle.
        using var again = await PostAsync(http, "/fhir/Observation", observation);
        Assert.Equal(location, again.Headers.Location!.OriginalString);
        var bundle = new Bundle { Type = Bundle.BundleType.Batch, Entry = [new Bundle.EntryComponent
        {
            Resource = observation, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" },
        }] };
        using var batch = await PostAsync(http, "/fhir", bundle);
        var entry = (await batch.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("entry")[0];
        Assert.Equal($"Observation/{id}", entry.GetProperty("response").GetProperty("location").GetString());
    }

    [Fact]
    public async Task Observation_OfADeviceAssignedToNoPatient_IsStoredUnattributed_AndSaysSoWithoutAnId()
    {
        var (deviceId, _) = await server.RegisterDeviceAsync();
        using var http = await server.SignInAsync(await server.ReadBootstrapCredentialsAsync());

        using var answer = await PostAsync(http, "/fhir/Observation", HeartRate(deviceId, null, DateTimeOffset.UtcNow.AddMinutes(-1), 64));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Null(answer.Headers.Location);
        var issue = (await answer.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("issue")[0];
        Assert.Equal("information", issue.GetProperty("severity").GetString());
        Assert.Contains("unattributed", issue.GetProperty("diagnostics").GetString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, Resource resource)
    {
        using var content = new StringContent(JsonSerializer.Serialize(resource, FhirJson.Options), Encoding.UTF8, "application/fhir+json");
        return await http.PostAsync(path, content, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Observation_ForAnotherPatientThanTheDevices_IsRefusedWithAnOperationOutcome()
    {
        var (deviceId, _, _) = await server.AssignedDeviceAsync();
        var stranger = await server.AddPatientAsync("Someone else");
        using var client = await ClientAsync();

        var refusal = await Assert.ThrowsAsync<FhirOperationException>(() => client.CreateAsync(HeartRate(deviceId, stranger, DateTimeOffset.UtcNow, 70)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusal.Status);
        Assert.Contains($"subject Patient/{stranger} is not the patient", refusal.Outcome!.Issue[0].Diagnostics, StringComparison.Ordinal);
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Equal("fhir", letter.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Observation_ForADeviceWithAPinnedCertificate_IsRefused_ThatDeviceSpeaksForItselfAlone()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();
        using var certificate = TestCertificates.SelfSigned("CN=" + deviceId);
        using (var pinned = await server.Admin.PutAsJsonAsync($"/api/v1/devices/{deviceId}/certificate",
            new { certificatePem = certificate.ExportCertificatePem() }, TestContext.Current.CancellationToken))
        {
            pinned.EnsureSuccessStatusCode();
        }

        using var client = await ClientAsync();
        var refusal = await Assert.ThrowsAsync<FhirOperationException>(() => client.CreateAsync(HeartRate(deviceId, patientId, DateTimeOffset.UtcNow.AddMinutes(-1), 150)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusal.Status);
        Assert.Contains("has a pinned certificate", refusal.Outcome!.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
    }

    [Fact]
    public async Task BatchBundle_StoresTheGoodEntriesAndReportsTheBadOne()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var bundle = new Bundle { Type = Bundle.BundleType.Batch };
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = BloodPressure(deviceId, now), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" } });
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = HeartRate(deviceId, null, now, 500), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" } });
        using var client = await ClientAsync();

        // FhirClient posts batch and transaction Bundles alike to the base.
        var response = await client.TransactionAsync(bundle);

        Assert.NotNull(response);
        Assert.Equal(["201 Created", "422 Unprocessable Entity"], response.Entry.Select(e => e.Response!.Status));
        var outcome = Assert.IsType<OperationOutcome>(response.Entry[1].Response!.Outcome);
        Assert.Contains("outside the plausible range", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        var latest = Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
        Assert.Equal(124, latest.GetProperty("components").GetProperty("systolic").GetDouble());
    }

    [Fact]
    public async Task TransactionBundle_WithOneBadEntry_StoresNothing()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = HeartRate(deviceId, null, now, 72), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" } });
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = HeartRate("not-registered", null, now, 72), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" } });
        using var client = await ClientAsync();

        var refusal = await Assert.ThrowsAsync<FhirOperationException>(() => client.TransactionAsync(bundle));

        Assert.Equal(HttpStatusCode.BadRequest, refusal.Status);
        Assert.Contains(refusal.Outcome!.Issue, i => i.Diagnostics?.Contains("\"not-registered\" is not registered", StringComparison.Ordinal) == true);
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
    }

    [Fact]
    public async Task NotFhir_IsABadRequestWithAReason()
    {
        using var response = await server.Admin.PostAsync("/fhir/Observation", new StringContent("{\"resourceType\":\"Banana\"}", Encoding.UTF8, "application/fhir+json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
    }

    [Fact]
    public async Task PhdGatewayTransaction_IsStoredForTheDeviceNamedByItsEui64_ContextAcknowledged()
    {
        var example = Path.Combine(RepositoryFolders.TestData("fhir-r4"), "phd-ig-examples", "bundle-example-1.json");
        var patientId = await server.AddPatientAsync();
        using (var registered = await server.Admin.PostAsJsonAsync("/api/v1/devices", new { id = "00-1C-05-04-00-00-78-25", model = "Nonin 3230", serial = "502-7825" }, TestContext.Current.CancellationToken))
        {
            registered.EnsureSuccessStatusCode();
        }

        await server.AssignAsync("00-1C-05-04-00-00-78-25", patientId, new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero));

        using var response = await server.Admin.PostAsync("/fhir", new StringContent(await File.ReadAllTextAsync(example, TestContext.Current.CancellationToken), Encoding.UTF8, "application/fhir+json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("transaction-response", answer.GetProperty("type").GetString());
        Assert.Equal(["200 OK", "200 OK", "200 OK", "200 OK", "201 Created", "201 Created"],
            answer.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("response").GetProperty("status").GetString()));
        var latest = (await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray().ToDictionary(r => r.GetProperty("vital").GetString()!);
        Assert.Equal(98, latest["spo2"].GetProperty("value").GetDouble());
        Assert.Equal(47, latest["heart-rate"].GetProperty("value").GetDouble());
    }
}
