using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Fhir;
using OpenWard.Server.BulkExport;
using OpenWard.Testing;
using OpenWard.Tests.Shared.Fhir;
using static OpenWard.Server.Tests.BulkExportRequests;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Server.Tests;

/// <summary>
/// FHIR bulk export of a ward on the real server: kick-off, polling, the manifest, downloading and
/// parsing every line, cancelling, expiry by a clock the test moves, and who may see an export.
/// Each test exports a care team of its own.
/// </summary>
public sealed class BulkExportTests(BulkExportTests.ExportingServer server) : IClassFixture<BulkExportTests.ExportingServer>
{
    /// <summary>
    /// A server whose bulk exports expire ten seconds after they end by a clock the test moves (the
    /// background sweep runs every second by the server's own clock).
    /// </summary>
    public sealed class ExportingServer : RunningServer
    {
        /// <summary>The clock the exports are timed and expired by: it stands still until the test moves it.</summary>
        public FakeTimeProvider ExportClock { get; } = new(DateTimeOffset.UtcNow);

        /// <summary>How long an export lasts after it ends.</summary>
        public static readonly TimeSpan ExportLifetime = TimeSpan.FromSeconds(10);

        /// <summary>Where the server writes exports' files.</summary>
        public string ExportFolder => Path.Combine(DataDirectory, "exports");

        protected override IEnumerable<string> ExtraArguments => [$"--OpenWard:Fhir:ExportLifetime={ExportLifetime}"];

        // The exports only: the silo and the periodic checks take the server's TimeProvider too, and would stop on a clock that stands still.
        protected override void AddServices(IServiceCollection services) =>
            services.AddSingleton(provider => ActivatorUtilities.CreateInstance<ExportJobs>(provider, ExportClock));
    }

    private sealed record Ward(string TeamId, HttpClient Clinician, IReadOnlyList<string> PatientIds, IReadOnlyList<string> DeviceIds);

    [Fact]
    public async Task GroupExport_OfAWardWithReadings_WritesEveryReadingPatientAndDeviceAsFhir()
    {
        var ward = await WardAsync(patients: 3, readingsEach: 40);

        var manifest = await ExportAndWaitAsync(ward.Clinician, $"/fhir/Group/{ward.TeamId}/$export");

        Assert.True(manifest.GetProperty("requiresAccessToken").GetBoolean());
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        Assert.EndsWith($"/fhir/Group/{ward.TeamId}/$export", manifest.GetProperty("request").GetString(), StringComparison.Ordinal);
        var files = manifest.GetProperty("output").EnumerateArray().ToDictionary(o => o.GetProperty("type").GetString()!);
        Assert.Equal(["Device", "Observation", "Patient"], files.Keys.Order(StringComparer.Ordinal));

        var observations = await DownloadAsync<Observation>(ward.Clinician, files["Observation"]);
        Assert.Equal(3 * (40 + 1), observations.Count);
        Assert.All(observations, o =>
        {
            Assert.Equal(ObservationStatus.Final, o.Status);
            Assert.Contains(o.Subject?.Reference, ward.PatientIds.Select(p => "Patient/" + p));
            Assert.Contains(o.Device?.Reference, ward.DeviceIds.Select(d => "Device/" + d));
            Assert.Equal("vital-signs", o.Category.Single().Coding.Single().Code);
        });
        Assert.Equal(3 * 40, observations.Count(o => o.Code.Coding[0].Code == "8867-4" && o.Value is Quantity { Code: "/min" }));
        Assert.Equal(3, observations.Count(o => o.Code.Coding[0].Code == "85354-9" && o.Component.Count == 2));
        Assert.Equal(observations.Count, observations.Select(o => o.Id).Distinct().Count());

        var patients = await DownloadAsync<Patient>(ward.Clinician, files["Patient"]);
        Assert.Equal(ward.PatientIds.Order(), patients.Select(p => p.Id).Order());
        var devices = await DownloadAsync<Device>(ward.Clinician, files["Device"]);
        Assert.Equal(ward.DeviceIds.Order(), devices.Select(d => d.Id).Order());

        // One of each kind against the profiles it claims and base R4, as the read API's resources are.
        foreach (var resource in observations.DistinctBy(o => o.Code.Coding[0].Code).Cast<Resource>().Append(patients[0]).Append(devices[0]))
        {
            FhirProfileValidator.AssertValid(resource);
        }
    }

    [Fact]
    public async Task Export_WithTypeAndSince_WritesOnlyThoseTypesStoredSince()
    {
        var ward = await WardAsync(patients: 1, readingsEach: 5);
        // The readings above were acknowledged (stored) before this instant; those below are received after it.
        var since = DateTimeOffset.UtcNow.AddMilliseconds(1);
        await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        using (var device = await server.ConnectDeviceAsync(ward.DeviceIds[0], devicesSecrets[ward.DeviceIds[0]]))
        {
            await device.PublishReadingsAsync($"devices/{ward.DeviceIds[0]}/readings",
                $"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddMinutes(-2), 71)},{Publishing.HeartRate(DateTimeOffset.UtcNow.AddMinutes(-1), 72)}]");
        }

        var manifest = await ExportAndWaitAsync(ward.Clinician,
            $"/fhir/Group/{ward.TeamId}/$export?_type=Observation&_since={Uri.EscapeDataString(since.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture))}");

        var file = Assert.Single(manifest.GetProperty("output").EnumerateArray());
        Assert.Equal("Observation", file.GetProperty("type").GetString());
        var observations = await DownloadAsync<Observation>(ward.Clinician, file);
        Assert.Equal([71m, 72m], observations.Select(o => Assert.IsType<Quantity>(o.Value).Value).Order());
    }

    [Theory]
    [InlineData("", "Prefer: respond-async")]
    [InlineData("?_type=Observation,Encounter", "Encounter")]
    [InlineData("?_since=yesterday", "_since")]
    [InlineData("?_since=2026-01-01", "_since")]
    [InlineData("?_typeFilter=Observation%3Fcode%3D8867-4", "_typeFilter")]
    [InlineData("?_outputFormat=text/csv", "_outputFormat")]
    public async Task KickOff_WithoutPreferOrWithABadParameter_Is400WithTheReason(string query, string named)
    {
        var ward = await WardAsync(patients: 1, readingsEach: 1);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Group/{ward.TeamId}/$export{query}");
        if (query.Length > 0)
        {
            request.Headers.Add("Prefer", "respond-async");
        }

        using var response = await ward.Clinician.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(FhirResponses.MediaType, response.Content.Headers.ContentType?.MediaType);
        var outcome = (OperationOutcome)JsonSerializer.Deserialize<Resource>(
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), FhirJson.Options)!;
        Assert.Contains(named, outcome.Issue.Single().Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_WhileTheExportRuns_AnswersAcceptedWithProgress()
    {
        var ward = await WardAsync(patients: 1, readingsEach: 1);
        var statusUrl = await KickOffAsync(ward.Clinician, $"/fhir/Group/{ward.TeamId}/$export");

        using var status = await ward.Clinician.GetAsync(statusUrl, TestContext.Current.CancellationToken);

        // Either still running (202 with progress and when to ask again) or already done (200): never anything else.
        if (status.StatusCode == HttpStatusCode.Accepted)
        {
            Assert.True(status.Headers.Contains("X-Progress"));
            Assert.NotNull(status.Headers.RetryAfter);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        }
    }

    [Fact]
    public async Task Cancelling_AnExport_DeletesItsFilesAndForgetsIt()
    {
        var ward = await WardAsync(patients: 1, readingsEach: 3);
        var statusUrl = await KickOffAsync(ward.Clinician, $"/fhir/Group/{ward.TeamId}/$export");
        var manifest = await WaitForManifestAsync(ward.Clinician, statusUrl);
        var fileUrl = manifest.GetProperty("output")[0].GetProperty("url").GetString()!;
        var folder = Path.Combine(server.ExportFolder, statusUrl[(statusUrl.LastIndexOf('/') + 1)..]);
        Assert.True(Directory.Exists(folder));

        using (var cancelled = await ward.Clinician.DeleteAsync(statusUrl, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        }

        Assert.False(Directory.Exists(folder));
        await AssertGoneAsync(ward.Clinician, statusUrl, fileUrl);
    }

    [Fact]
    public async Task AnExport_OnceItsLifetimeHasPassed_IsGoneAndItsFilesAreDeleted()
    {
        var ward = await WardAsync(patients: 1, readingsEach: 3);
        var statusUrl = await KickOffAsync(ward.Clinician, $"/fhir/Group/{ward.TeamId}/$export");
        var manifest = await WaitForManifestAsync(ward.Clinician, statusUrl);
        var fileUrl = manifest.GetProperty("output")[0].GetProperty("url").GetString()!;
        var folder = Path.Combine(server.ExportFolder, statusUrl[(statusUrl.LastIndexOf('/') + 1)..]);

        server.ExportClock.Advance(ExportingServer.ExportLifetime - TimeSpan.FromSeconds(1));
        using (var stillThere = await ward.Clinician.GetAsync(fileUrl, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        }

        server.ExportClock.Advance(TimeSpan.FromSeconds(1));
        await AssertGoneAsync(ward.Clinician, statusUrl, fileUrl);
        await Eventually.TrueAsync(() => Task.FromResult(!Directory.Exists(folder)), "the sweep to delete the expired export's files");
    }

    [Fact]
    public async Task AnotherClinician_CannotPollDownloadOrCancelAnExport_NorExportAWardTheyAreNotOn()
    {
        var ward = await WardAsync(patients: 1, readingsEach: 3);
        var statusUrl = await KickOffAsync(ward.Clinician, $"/fhir/Group/{ward.TeamId}/$export");
        var manifest = await WaitForManifestAsync(ward.Clinician, statusUrl);
        var fileUrl = manifest.GetProperty("output")[0].GetProperty("url").GetString()!;
        using var other = await server.SignInPersonAsync("clinician", await server.AddCareTeamAsync("Other export ward"));

        await AssertGoneAsync(other, statusUrl, fileUrl);
        using (var cancel = await other.DeleteAsync(statusUrl, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        }

        using (var kickOff = await SendKickOffAsync(other, $"/fhir/Group/{ward.TeamId}/$export"))
        {
            Assert.Equal(HttpStatusCode.NotFound, kickOff.StatusCode);
        }

        using (var group = await other.GetAsync($"/fhir/Group/{ward.TeamId}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, group.StatusCode);
        }

        // Their own Patient/$export holds none of this ward's patients; the requester's files are untouched.
        var theirs = await ExportAndWaitAsync(other, "/fhir/Patient/$export?_type=Patient");
        Assert.Empty(await DownloadAsync<Patient>(other, theirs.GetProperty("output")[0]));
        using var mine = await ward.Clinician.GetAsync(fileUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task AnExport_IsRecordedInEachExportedPatientsAuditTrailAndAccessLog()
    {
        var ward = await WardAsync(patients: 2, readingsEach: 2);
        var me = await ward.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/me", TestContext.Current.CancellationToken);

        var manifest = await ExportAndWaitAsync(ward.Clinician, $"/fhir/Group/{ward.TeamId}/$export?_type=Patient");

        Assert.Equal(2, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        foreach (var patientId in ward.PatientIds)
        {
            var trail = await server.Admin.GetStringAsync($"/fhir/AuditEvent?patient={patientId}", TestContext.Current.CancellationToken);
            Assert.Contains(ExportRunner.AuditAction, trail, StringComparison.Ordinal);
            Assert.Contains("user:" + me.GetProperty("id").GetString(), trail, StringComparison.Ordinal);
            var visits = await ward.Clinician.GetStringAsync($"/api/v1/patients/{patientId}/access-log/visits", TestContext.Current.CancellationToken);
            Assert.Contains("exported your record", visits, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnIntegrationClient_WhoseTokenHasNoSmartScopes_IsRefusedWithTheReason()
    {
        var ward = await WardAsync(patients: 1, readingsEach: 1);
        using var created = await server.Admin.PostAsJsonAsync("/api/v1/clients", new { name = "Export record system", role = "integration" },
            TestContext.Current.CancellationToken);
        var client = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        using var integration = await server.SignInAsync((client.GetProperty("clientId").GetString()!, client.GetProperty("clientSecret").GetString()!));

        using var response = await SendKickOffAsync(integration, $"/fhir/Group/{ward.TeamId}/$export");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("system/Observation.rs", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANurse_MayNotExport()
    {
        var ward = await WardAsync(patients: 1, readingsEach: 1);
        using var nurse = await server.SignInPersonAsync("nurse", ward.TeamId);

        using var response = await SendKickOffAsync(nurse, $"/fhir/Group/{ward.TeamId}/$export");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ACareTeam_ReadsAsAFhirGroupOfItsPatients()
    {
        var ward = await WardAsync(patients: 2, readingsEach: 1);

        var json = await ward.Clinician.GetStringAsync($"/fhir/Group/{ward.TeamId}", TestContext.Current.CancellationToken);

        var group = (Group)JsonSerializer.Deserialize<Resource>(json, FhirJson.Options)!;
        Assert.Equal(ward.TeamId, group.Id);
        Assert.True(group.Actual);
        Assert.Equal(ward.PatientIds.Select(p => "Patient/" + p).Order(), group.Member.Select(m => m.Entity.Reference).Order());
        FhirProfileValidator.AssertValid(group);
    }

    private readonly Dictionary<string, string> devicesSecrets = [];

    // A care team of its own with a clinician on it and patients, each with a device that sent heart rates a minute apart and one blood pressure.
    private async Task<Ward> WardAsync(int patients, int readingsEach)
    {
        var team = await server.AddCareTeamAsync("Export ward " + Guid.NewGuid().ToString("N")[..8]);
        var clinician = await server.SignInPersonAsync("clinician", team);
        var patientIds = new List<string>();
        var deviceIds = new List<string>();
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        for (var p = 0; p < patients; p++)
        {
            var patientId = await server.AddPatientAsync("Export Patient " + p, team);
            var (deviceId, secret) = await server.RegisterDeviceAsync("exp");
            await server.AssignAsync(deviceId, patientId, start.AddHours(-1));
            devicesSecrets[deviceId] = secret;
            var readings = Enumerable.Range(0, readingsEach).Select(i => Publishing.HeartRate(start.AddMinutes(i), 60 + i))
                .Append($$"""{"vital":"blood-pressure","time":"{{Publishing.Time(start.AddSeconds(30))}}","components":{"systolic":120,"diastolic":80},"unit":"mm[Hg]"}""");
            using var device = await server.ConnectDeviceAsync(deviceId, secret);
            await device.PublishReadingsAsync($"devices/{deviceId}/readings", "[" + string.Join(",", readings) + "]");
            patientIds.Add(patientId);
            deviceIds.Add(deviceId);
        }

        return new Ward(team, clinician, patientIds, deviceIds);
    }

    private static async Task AssertGoneAsync(HttpClient caller, string statusUrl, string fileUrl)
    {
        using var status = await caller.GetAsync(statusUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        using var download = await caller.GetAsync(fileUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
    }
}
