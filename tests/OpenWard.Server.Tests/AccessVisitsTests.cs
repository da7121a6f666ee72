using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Core.Audit;
using OpenWard.Server.Patients;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// The access log as visits (<c>GET …/access-log/visits</c>): one entry per person per visit, people by name, role and
/// care team, in plain words, and refused requests never counted as a view.
/// </summary>
public sealed class AccessVisitsTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task AClinicianPageView_IsOneVisit_InPlainWords_AndAnotherWardsRefusedLook_IsListedAsRefused()
    {
        var team = "Ward 3 " + Guid.NewGuid().ToString("N")[..6];
        var teamId = await server.AddCareTeamAsync(team);
        var patientId = await server.AddPatientAsync("Ada Lovelace", teamId);
        using var clinician = await server.SignInPersonAsync("clinician", teamId);
        foreach (var path in new[] { "latest", "readings?vital=heart-rate", "thresholds", "alert-settings", "news2", "notes", "monitoring", "latest" })
        {
            using var answer = await clinician.GetAsync($"/api/v1/patients/{patientId}/{path}", TestContext.Current.CancellationToken);
            answer.EnsureSuccessStatusCode();
        }

        using var note = await clinician.PostAsJsonAsync($"/api/v1/patients/{patientId}/notes", new { text = "Seen on the video call." }, TestContext.Current.CancellationToken);
        note.EnsureSuccessStatusCode();
        using var elsewhere = await server.SignInPersonAsync("nurse", await server.AddCareTeamAsync("Renal ward " + Guid.NewGuid().ToString("N")[..6]));
        using var refused = await elsewhere.GetAsync($"/api/v1/patients/{patientId}/notes", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using var patient = await server.SignInPersonAsync("patient", patientId: patientId, confirmer: clinician);
        using var own = await patient.GetAsync($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);
        own.EnsureSuccessStatusCode();

        var visits = (await patient.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patientId}/access-log/visits", TestContext.Current.CancellationToken))
            .EnumerateArray().ToList();

        var byClinician = Assert.Single(visits, v => Role(v) == "clinician");
        Assert.Equal(
            $"Test clinician (clinician, {team}) looked at your readings, alert limits, early-warning scores and notes, wrote a note and confirmed a portal account for you",
            byClinician.GetProperty("summary").GetString());
        Assert.Equal(10, byClinician.GetProperty("requests").GetInt32());
        Assert.False(byClinician.TryGetProperty("refusedSummary", out _));

        var byNurse = Assert.Single(visits, v => Role(v) == "nurse");
        Assert.Empty(byNurse.GetProperty("saw").EnumerateArray());
        Assert.False(byNurse.TryGetProperty("summary", out _));
        Assert.StartsWith("Test nurse (nurse, Renal ward ", byNurse.GetProperty("refusedSummary").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(") tried to look at your notes, refused", byNurse.GetProperty("refusedSummary").GetString(), StringComparison.Ordinal);

        // The patient's own visit is marked as theirs.
        Assert.Contains(visits, v => v.GetProperty("self").GetBoolean() && Role(v) == "patient");
    }

    private static string? Role(JsonElement visit) => visit.TryGetProperty("role", out var role) ? role.GetString() : null;

    [Fact]
    public void RequestsMoreThanHalfAnHourApart_AreTwoVisits_AndEachPersonHasTheirOwn()
    {
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        AuditRecord Request(long sequence, string actor, int minutes, string action, string outcome = "200") => new()
        {
            Sequence = sequence, At = start.AddMinutes(minutes), Actor = actor, Action = action, PatientId = "pat-1",
            Source = "127.0.0.1", Outcome = outcome, PreviousHash = "", Hash = "",
        };
        var records = new[]
        {
            Request(1, "user:a", 0, "GET /api/v1/patients/{patientId}/latest"),
            Request(2, "user:b", 5, "GET /api/v1/ward"),
            Request(3, "user:a", 25, "GET /api/v1/patients/{patientId}/notes/"),
            Request(4, "user:a", 50, "GET /api/v1/patients/{patientId}/news2"),
            Request(5, "user:a", 90, "PUT /api/v1/patients/{patientId}/alert-settings", "400"),
        };

        var visits = RecordVisits.Of(records, actor => new(actor == "user:a" ? "A. Khan" : "B. Osei", "nurse", null), self: null);

        Assert.Equal(
            ["A. Khan (nurse) tried to change your alert limits, refused", "A. Khan (nurse) looked at your readings, notes and early-warning scores", "B. Osei (nurse) looked at your readings"],
            visits.Select(v => v.Summary ?? v.RefusedSummary));
        Assert.Equal(start.AddMinutes(50), visits[1].To);
    }
}
