using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// <c>GET /api/v1/ward?patientId=</c>: one patient's tile alone, for the patient page — a patient the caller may not
/// see is refused with the reason, not answered with an empty list.
/// </summary>
public sealed class WardPatientTileTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task OnePatientsTile_IsThatPatientsAlone()
    {
        var patientId = await server.AddPatientAsync("Tile Patient");
        await server.AddPatientAsync("Other Patient");

        var tiles = await server.Clinician.GetFromJsonAsync<JsonElement>($"/api/v1/ward?patientId={patientId}", TestContext.Current.CancellationToken);

        Assert.Equal([patientId], tiles.EnumerateArray().Select(t => t.GetProperty("patientId").GetString()));
    }

    [Fact]
    public async Task APatientOfAnotherTeam_IsRefusedWithTheReason()
    {
        var otherTeam = await server.AddCareTeamAsync("Other ward " + Guid.NewGuid().ToString("N")[..6]);
        var patientId = await server.AddPatientAsync("Not Yours", otherTeam);

        using var response = await server.Clinician.GetAsync($"/api/v1/ward?patientId={patientId}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains("not on your care teams", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
