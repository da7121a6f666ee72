using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public abstract class CareTeamAccessContract(RunningServer server)
{
    [Fact]
    public async Task BreakGlass_NeedsAReason_OpensThePatient_IsListedForReview_AndShowsInThePatientsAccessLog()
    {
        var otherWard = await server.AddCareTeamAsync("Respiratory virtual ward " + Guid.NewGuid().ToString("N")[..6]);
        using var covering = await server.SignInPersonAsync("clinician", otherWard);
        var patientId = await server.AddPatientAsync();
        using var patient = await server.SignInPersonAsync("patient", patientId: patientId);

        using var before = await covering.GetAsync($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);
        using var noReason = await covering.PostAsJsonAsync($"/api/v1/patients/{patientId}/break-glass", new { reason = "urgent" }, TestContext.Current.CancellationToken);
        using var opened = await covering.PostAsJsonAsync($"/api/v1/patients/{patientId}/break-glass",
            new { reason = "Patient called 111 overnight; own team unreachable" }, TestContext.Current.CancellationToken);
        using var after = await covering.GetAsync($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);

        var access = await opened.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var accessId = access.GetProperty("id").GetString()!;
        var unreviewed = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/break-glass?unreviewed=true", TestContext.Current.CancellationToken);
        Assert.Contains(unreviewed.EnumerateArray(), a => a.GetProperty("id").GetString() == accessId);
        using var review = await server.Admin.PostAsync($"/api/v1/break-glass/{accessId}/review", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, review.StatusCode);
        var stillUnreviewed = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/break-glass?unreviewed=true", TestContext.Current.CancellationToken);
        Assert.DoesNotContain(stillUnreviewed.EnumerateArray(), a => a.GetProperty("id").GetString() == accessId);

        // The patient sees who opened their record, by name and role.
        var log = await patient.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patientId}/access-log", TestContext.Current.CancellationToken);
        Assert.Contains(log.EnumerateArray(), entry => entry.GetProperty("who").GetString() == "Test clinician"
            && entry.GetProperty("role").GetString() == "clinician"
            && entry.GetProperty("action").GetString() == "POST /api/v1/patients/{patientId}/break-glass");
    }

    [Fact]
    public async Task PatientOutsideYourCareTeams_AnswersExactlyAsAPatientThatDoesNotExist()
    {
        var otherWard = await server.AddCareTeamAsync("Renal virtual ward " + Guid.NewGuid().ToString("N")[..6]);
        using var elsewhere = await server.SignInPersonAsync("clinician", otherWard);
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        await PublishLowGlucoseAsync(deviceId, secret);
        var alertId = await server.WaitForAlertAsync(patientId);

        foreach (var (existing, missing) in new[]
        {
            ($"/api/v1/patients/{patientId}/latest", "/api/v1/patients/pat-000000000000/latest"),
            ($"/api/v1/patients/{patientId}/notes", "/api/v1/patients/pat-000000000000/notes"),
            ($"/api/v1/alerts/{alertId}", "/api/v1/alerts/alr-000000000000"),
        })
        {
            using var hidden = await elsewhere.GetAsync(existing, TestContext.Current.CancellationToken);
            using var absent = await elsewhere.GetAsync(missing, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
            Assert.Equal(await WithoutTraceIdAsync(absent), await WithoutTraceIdAsync(hidden));
        }
    }

    // The one field that differs between any two answers.
    private static async Task<string> WithoutTraceIdAsync(HttpResponseMessage response)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
        body.Remove("traceId");
        return body.ToJsonString();
    }

    [Fact]
    public async Task LiveAlerts_ReachOnlyTheConsolesOfThePatientsCareTeam()
    {
        var otherWard = await server.AddCareTeamAsync("Cardiology virtual ward " + Guid.NewGuid().ToString("N")[..6]);
        var otherClinician = await server.AddUserAsync("clinician", otherWard);
        var otherToken = (await PersonSignIn.SignInAsync(server, otherClinician.UserName, RunningServer.TestPassword)).AccessToken;
        await using var ownConsole = await AlertListener.ConnectAsync(server);
        await using var otherConsole = await AlertListener.ConnectAsync(server, otherToken);

        var (ownDevice, ownSecret, ownPatient) = await server.AssignedDeviceAsync();
        var otherPatient = await server.AddPatientAsync("Cardiology Patient", otherWard);
        var (otherDevice, otherSecret) = await server.RegisterDeviceAsync();
        await server.AssignAsync(otherDevice, otherPatient, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));

        await PublishLowGlucoseAsync(ownDevice, ownSecret);
        await ownConsole.WaitForAsync(a => a.GetProperty("patientId").GetString() == ownPatient);
        await PublishLowGlucoseAsync(otherDevice, otherSecret);

        // Alerts go out in order; by the time the other ward hears its own patient's, it would have heard ours.
        var first = await otherConsole.WaitForAsync(_ => true);
        Assert.Equal(otherPatient, first.GetProperty("patientId").GetString());
    }

    [Fact]
    public async Task PatientMovedToAnotherCareTeam_TheirAlertsReachTheNewTeamsConsoles_AndNoLongerTheOldOnes()
    {
        var newWard = await server.AddCareTeamAsync("Surgical virtual ward " + Guid.NewGuid().ToString("N")[..6]);
        var newClinician = await server.AddUserAsync("clinician", newWard);
        var newToken = (await PersonSignIn.SignInAsync(server, newClinician.UserName, RunningServer.TestPassword)).AccessToken;
        await using var oldConsole = await AlertListener.ConnectAsync(server);
        await using var newConsole = await AlertListener.ConnectAsync(server, newToken);
        var (movedDevice, movedSecret, movedPatient) = await server.AssignedDeviceAsync();
        var (stayingDevice, stayingSecret, stayingPatient) = await server.AssignedDeviceAsync();

        await PublishLowGlucoseAsync(movedDevice, movedSecret);
        await oldConsole.WaitForAsync(a => a.GetProperty("patientId").GetString() == movedPatient);
        using var moved = await server.Admin.PutAsJsonAsync($"/api/v1/patients/{movedPatient}/care-team", new { careTeamId = newWard }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        await PublishEmergencyCallAsync(movedDevice, movedSecret);
        var heard = await newConsole.WaitForAsync(_ => true);
        Assert.Equal((movedPatient, "emergency:emergency-call"), (heard.GetProperty("patientId").GetString(), heard.GetProperty("condition").GetString()));

        // Alerts go out in order: had the old ward heard the moved patient's call, it would hear it before this one.
        await PublishLowGlucoseAsync(stayingDevice, stayingSecret);
        var next = await oldConsole.WaitForAsync(_ => true);
        Assert.Equal(stayingPatient, next.GetProperty("patientId").GetString());
    }

    private async Task PublishEmergencyCallAsync(string deviceId, string secret)
    {
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        await device.PublishReadingsAsync($"devices/{deviceId}/readings",
            $$"""[{"vital":"emergency-call","time":"{{Publishing.Time(DateTimeOffset.UtcNow)}}","value":1,"unit":"{event}"}]""");
    }

    private async Task PublishLowGlucoseAsync(string deviceId, string secret)
    {
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        await device.PublishReadingsAsync($"devices/{deviceId}/readings",
            $$"""[{"vital":"blood-glucose","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1))}}","value":45,"unit":"mg/dL"}]""");
    }
}

/// <summary>The contract on the embedded SQLite store.</summary>
public sealed class CareTeamAccessTests(RunningServer server) : CareTeamAccessContract(server), IClassFixture<RunningServer>;

/// <summary>The contract on a PostgreSQL store.</summary>
public sealed class CareTeamAccessOnPostgreSqlTests(PostgreSqlServer server) : CareTeamAccessContract(server), IClassFixture<PostgreSqlServer>;
