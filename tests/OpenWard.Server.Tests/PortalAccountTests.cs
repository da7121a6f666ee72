using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>A patient's own portal account: made by an administrator, it opens the record only once the patient's care team confirms it.</summary>
public sealed class PortalAccountTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task PatientAccountMadeByAnAdministrator_OpensNothing_UntilTheCareTeamConfirmsIt_AndTheLinkShowsInTheAccessLog()
    {
        var patientId = await server.AddPatientAsync();
        var (accountId, userName) = await server.AddUserAsync("patient", patientId: patientId, confirmPatient: false);
        using var account = server.WithToken((await PersonSignIn.SignInAsync(server, userName, RunningServer.TestPassword)).AccessToken);

        using var unconfirmed = await account.GetAsync($"/api/v1/patients/{patientId}/notes", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unconfirmed.StatusCode);

        // The care team sees that an account was linked to their patient, and by whom.
        var log = await server.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patientId}/access-log", TestContext.Current.CancellationToken);
        Assert.Contains(log.EnumerateArray(), entry => entry.GetProperty("action").GetString()!.Contains(accountId, StringComparison.Ordinal)
            && entry.GetProperty("who").GetString()!.StartsWith("client:", StringComparison.Ordinal));

        // Only the patient's own care team may confirm it: not another ward's clinician, not the administrator.
        var otherWard = await server.AddCareTeamAsync("Other ward " + Guid.NewGuid().ToString("N")[..6]);
        using var otherClinician = await server.SignInPersonAsync("clinician", otherWard);
        var confirm = $"/api/v1/patients/{patientId}/portal-accounts/{accountId}/confirm";
        using var byOtherWard = await otherClinician.PostAsync(confirm, null, TestContext.Current.CancellationToken);
        using var byAdministrator = await server.Admin.PostAsync(confirm, null, TestContext.Current.CancellationToken);
        using var byCareTeam = await server.Clinician.PostAsync(confirm, null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, byOtherWard.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAdministrator.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, byCareTeam.StatusCode);

        // A fresh sign-in is not needed: access is decided at every call.
        using var confirmed = await account.GetAsync($"/api/v1/patients/{patientId}/notes", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    [Fact]
    public async Task AccessLog_TellsThePatientsOwnVisitsFromEveryoneElses_EvenAnotherPatientAccountOnTheirRecord()
    {
        var patientId = await server.AddPatientAsync();
        using var patient = await server.SignInPersonAsync("patient", patientId: patientId);
        using var secondAccount = await server.SignInPersonAsync("patient", patientId: patientId);
        using var ownVisit = await patient.GetAsync($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);
        using var otherVisit = await secondAccount.GetAsync($"/api/v1/patients/{patientId}/notes", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, otherVisit.StatusCode);

        var log = await patient.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patientId}/access-log", TestContext.Current.CancellationToken);

        var entries = log.EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("action").GetString()!.EndsWith("/latest", StringComparison.Ordinal) && e.GetProperty("self").GetBoolean());
        Assert.Contains(entries, e => e.GetProperty("action").GetString()!.EndsWith("/notes/", StringComparison.Ordinal) && !e.GetProperty("self").GetBoolean());
    }
}
