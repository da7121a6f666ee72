using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

public sealed class PeopleCommandTests(RunningServer server) : IClassFixture<RunningServer>
{
    private Task<CliProcess.Outcome> Openward(params string[] args) =>
        CliProcess.RunAsync([.. args, "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory]);

    [Fact]
    public async Task AWard_ItsNurse_AndAPatient_SetUpFromTheCli_LetTheNurseSeeThePatientAfterChangingTheFirstPassword()
    {
        var team = await Openward("teams", "add", "Respiratory virtual ward");
        Assert.True(team.ExitCode == 0, team.Error);
        var teamId = team.Json.GetProperty("id").GetString()!;
        var nurse = await Openward("users", "add", "--user-name", "nurse.okafor", "--display-name", "Nurse Okafor", "--role", "nurse");
        Assert.True(nurse.ExitCode == 0, nurse.Error);
        var nurseId = nurse.Json.GetProperty("id").GetString()!;
        var firstPassword = nurse.Json.GetProperty("firstPassword").GetString()!;
        Assert.Equal(0, (await Openward("teams", "add-member", teamId, nurseId)).ExitCode);
        var patient = await Openward("patients", "add", "--name", "Ward Patient", "--team", teamId);
        var patientId = patient.Json.GetProperty("id").GetString()!;
        var elsewhere = (await Openward("patients", "add", "--name", "Elsewhere Patient")).Json.GetProperty("id").GetString()!;

        var tokens = await PersonSignIn.SignInAsync(server, "nurse.okafor", firstPassword);
        using (var firstSession = server.WithToken(tokens.AccessToken))
        {
            using var changed = await firstSession.PostAsJsonAsync("/api/v1/me/password",
                new { currentPassword = firstPassword, newPassword = "a longer passphrase of her own" }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        // The new password ended the first session; she signs in again with it.
        using var console = server.WithToken((await PersonSignIn.SignInAsync(server, "nurse.okafor", "a longer passphrase of her own")).AccessToken);

        using var own = await console.GetAsync($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);
        using var other = await console.GetAsync($"/api/v1/patients/{elsewhere}/latest", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);

        var moved = await Openward("patients", "move", elsewhere, "--team", teamId);
        Assert.Equal(teamId, moved.Json.GetProperty("careTeamId").GetString());
        using var nowOwn = await console.GetAsync($"/api/v1/patients/{elsewhere}/latest", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, nowOwn.StatusCode);

        var teams = await Openward("teams", "list");
        var listed = teams.Json.EnumerateArray().Single(t => t.GetProperty("id").GetString() == teamId);
        Assert.Equal([nurseId], listed.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(2, listed.GetProperty("patientCount").GetInt32());
        var disabled = await Openward("users", "disable", nurseId);
        Assert.Equal(0, disabled.ExitCode);
        Assert.Equal(JsonValueKind.Object, disabled.Json.ValueKind);
    }
}
