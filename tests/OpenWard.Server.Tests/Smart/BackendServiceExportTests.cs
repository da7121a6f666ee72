using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Testing;
using static OpenWard.Server.Tests.BulkExportRequests;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Server.Tests.Smart;

/// <summary>
/// A SMART backend service exporting a care team in bulk, end to end: it registers its public key set, signs a
/// client assertion for a token, and its token's scopes decide which resource types it exports and downloads.
/// Each test exports a care team of its own.
/// </summary>
public sealed class BackendServiceExportTests(RunningServer server) : IClassFixture<RunningServer>
{
    private sealed record Ward(string TeamId, IReadOnlyList<string> PatientIds);

    [Fact]
    public async Task ObservationScopedService_ExportingACareTeam_GetsItsObservationsOnly()
    {
        var ward = await WardAsync();
        using var service = await BackendService.RegisterAsync(server, "RS384", "system/Observation.rs");
        using var client = await service.SignInAsync(server);

        var manifest = await ExportAndWaitAsync(client, $"/fhir/Group/{ward.TeamId}/$export");

        var file = Assert.Single(manifest.GetProperty("output").EnumerateArray());
        Assert.Equal("Observation", file.GetProperty("type").GetString());
        var observations = await DownloadAsync<Observation>(client, file);
        Assert.Equal(2 * 3, observations.Count);
        Assert.All(observations, o => Assert.Contains(o.Subject?.Reference, ward.PatientIds.Select(p => "Patient/" + p)));
    }

    [Theory]
    [InlineData("Patient")]
    [InlineData("Observation,Patient")]
    [InlineData("Device")]
    public async Task ObservationScopedService_AskingForAnotherType_IsRefusedWithAnOutcomeNamingTheScope(string types)
    {
        var ward = await WardAsync();
        using var service = await BackendService.RegisterAsync(server, "ES384", "system/Observation.rs");
        using var client = await service.SignInAsync(server);

        using var response = await SendKickOffAsync(client, $"/fhir/Group/{ward.TeamId}/$export?_type={types}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(FhirResponses.MediaType, response.Content.Headers.ContentType?.MediaType);
        var outcome = (OperationOutcome)JsonSerializer.Deserialize<Resource>(
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), FhirJson.Options)!;
        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(OperationOutcome.IssueType.Forbidden, issue.Code);
        var refused = types.Split(',')[^1];
        Assert.Contains($"do not allow exporting {refused} (system/{refused}.rs)", issue.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatientScopedService_CannotPollDownloadOrCancel_AnotherServicesExport()
    {
        var ward = await WardAsync();
        using var exporter = await BackendService.RegisterAsync(server, "RS384", "system/Observation.rs");
        using var exporting = await exporter.SignInAsync(server);
        var statusUrl = await KickOffAsync(exporting, $"/fhir/Group/{ward.TeamId}/$export?_type=Observation");
        var file = (await WaitForManifestAsync(exporting, statusUrl)).GetProperty("output")[0];
        using var other = await BackendService.RegisterAsync(server, "RS384", "system/Patient.rs");
        using var prying = await other.SignInAsync(server);

        using (var download = await prying.GetAsync(file.GetProperty("url").GetString(), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        }

        using (var status = await prying.GetAsync(statusUrl, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        }

        using (var cancel = await prying.DeleteAsync(statusUrl, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        }

        Assert.Equal(2 * 3, (await DownloadAsync<Observation>(exporting, file)).Count);
    }

    [Fact]
    public async Task ServiceWhoseLaterTokenIsNarrowedToPatients_CannotDownloadItsObservationFile()
    {
        var ward = await WardAsync();
        using var service = await BackendService.RegisterAsync(server, "RS384", "system/Observation.rs", "system/Patient.rs");
        using var wide = await service.SignInAsync(server);
        var manifest = await ExportAndWaitAsync(wide, $"/fhir/Group/{ward.TeamId}/$export?_type=Observation,Patient");
        var files = manifest.GetProperty("output").EnumerateArray().ToDictionary(o => o.GetProperty("type").GetString()!);
        using var narrow = await service.SignInAsync(server, "system/Patient.rs");

        using var observations = await narrow.GetAsync(files["Observation"].GetProperty("url").GetString(), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, observations.StatusCode);
        Assert.Contains("system/Observation.rs", await observations.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(ward.PatientIds.Order(), (await DownloadAsync<Patient>(narrow, files["Patient"])).Select(p => p.Id).Order());
    }

    // A care team of its own with two patients, each with a device that sent three heart rates a minute apart.
    private async Task<Ward> WardAsync()
    {
        var team = await server.AddCareTeamAsync("Backend export ward " + Guid.NewGuid().ToString("N")[..8]);
        var patientIds = new List<string>();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        foreach (var name in new[] { "Backend Export Patient A", "Backend Export Patient B" })
        {
            var patientId = await server.AddPatientAsync(name, team);
            var (deviceId, secret) = await server.RegisterDeviceAsync("bsx");
            await server.AssignAsync(deviceId, patientId, start.AddHours(-1));
            await server.PublishAsync(deviceId, secret, [.. Enumerable.Range(0, 3).Select(i => Publishing.HeartRate(start.AddMinutes(i), 70 + i))]);
            patientIds.Add(patientId);
        }

        return new Ward(team, patientIds);
    }
}
