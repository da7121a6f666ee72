using OpenWard.Server.Access;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Care teams are kept the same on SQLite and on PostgreSQL: named once whatever the case, listed by name,
/// joined and left by clinicians and nurses (never by a patient's own account), and given patients.
/// </summary>
public sealed class CareTeamsStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task CareTeams_AreNamedOnceWhateverTheCase_AndListedByName(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;

        var cardiology = await people.CareTeams.AddAsync("  Cardiology virtual ward ", ct);
        var again = await people.CareTeams.AddAsync("CARDIOLOGY VIRTUAL WARD", ct);
        foreach (var name in new[] { "Ward 2_a", "ward 10", "Ward 2.b" })
        {
            await people.AddCareTeamAsync(name);
        }

        Assert.Equal(("Cardiology virtual ward", ProblemKind.None), (cardiology.Value!.Name, cardiology.Problem));
        Assert.StartsWith("team-", cardiology.Value.Id, StringComparison.Ordinal);
        Assert.Equal(ProblemKind.Conflict, again.Problem);
        Assert.Equal(ProblemKind.Invalid, (await people.CareTeams.AddAsync("   ", ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await people.CareTeams.AddAsync(new string('w', 201), ct)).Problem);

        // By name, the case of A to Z ignored, then character by character: '.' before '_', '1' before '2'.
        var teams = await people.CareTeams.ListAsync(ct);
        Assert.Equal(["Cardiology virtual ward", "ward 10", "Ward 2.b", "Ward 2_a"], teams.Select(t => t.Name));
        Assert.Equal(cardiology.Value.Id, teams[0].Id);
        Assert.All(teams, t => Assert.Equal((0, 0), (t.Members.Count, t.PatientCount)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task CliniciansAndNurses_JoinAndLeaveATeam_AndAPatientsOwnAccountCannotJoin(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var ward = await people.AddCareTeamAsync("Respiratory virtual ward");
        var other = await people.AddCareTeamAsync("Renal ward");
        await people.AddPatientAsync("pat-1", ward);
        var nurse = await people.AddUserAsync("nurse.jones", UserRoles.Nurse);
        var clinician = await people.AddUserAsync("dr.okafor", UserRoles.Clinician);
        var patient = await people.AddUserAsync("patient.one", UserRoles.Patient, "pat-1");

        var joined = await people.CareTeams.AddMemberAsync(ward, nurse.Id, ct);
        Assert.Equal((nurse.Id, ProblemKind.None), (joined.Value, joined.Problem));
        Assert.Equal(ProblemKind.None, (await people.CareTeams.AddMemberAsync(ward, nurse.Id, ct)).Problem); // already on it
        Assert.Equal(ProblemKind.None, (await people.CareTeams.AddMemberAsync(ward, clinician.Id, ct)).Problem);
        Assert.Equal(ProblemKind.None, (await people.CareTeams.AddMemberAsync(other, nurse.Id, ct)).Problem);
        Assert.Equal(ProblemKind.NotFound, (await people.CareTeams.AddMemberAsync(ward, patient.Id, ct)).Problem);
        Assert.Equal(ProblemKind.NotFound, (await people.CareTeams.AddMemberAsync("team-none", nurse.Id, ct)).Problem);
        Assert.Equal(ProblemKind.NotFound, (await people.CareTeams.AddMemberAsync(ward, "usr-none", ct)).Problem);

        var teams = (await people.CareTeams.ListAsync(ct)).ToDictionary(t => t.Id);
        Assert.Equal([.. new[] { nurse.Id, clinician.Id }.Order(StringComparer.Ordinal)], teams[ward].Members);
        Assert.Equal([nurse.Id], teams[other].Members);
        Assert.Equal([.. new[] { ward, other }.Order(StringComparer.Ordinal)], (await people.Users.FindAsync(nurse.Id, ct))!.CareTeams);
        Assert.Empty((await people.Users.FindAsync(patient.Id, ct))!.CareTeams);

        Assert.True(await people.CareTeams.RemoveMemberAsync(ward, nurse.Id, ct));
        Assert.False(await people.CareTeams.RemoveMemberAsync(ward, nurse.Id, ct));
        Assert.Equal([clinician.Id], (await people.CareTeams.ListAsync(ct)).Single(t => t.Id == ward).Members);
        Assert.Equal([other], (await people.Users.FindAsync(nurse.Id, ct))!.CareTeams);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task APatient_MovesBetweenTeams_AndEachMoveIsHeard(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var respiratory = await people.AddCareTeamAsync("Respiratory virtual ward");
        var renal = await people.AddCareTeamAsync("Renal ward");
        await people.AddPatientAsync("pat-1");
        await people.AddPatientAsync("pat-2");

        var moved = await people.CareTeams.AssignPatientAsync("pat-1", respiratory, ct);
        Assert.Equal(("pat-1", ProblemKind.None), (moved.Value, moved.Problem));
        await people.CareTeams.AssignPatientAsync("pat-2", respiratory, ct);
        Assert.Equal([(respiratory, 2), (renal, 0)], await CountsAsync());

        await people.CareTeams.AssignPatientAsync("pat-1", renal, ct);
        await people.CareTeams.AssignPatientAsync("pat-2", null, ct);
        Assert.Equal([(respiratory, 0), (renal, 1)], await CountsAsync());

        // A move that cannot be made changes nothing, and nobody is told of it.
        Assert.Equal(ProblemKind.NotFound, (await people.CareTeams.AssignPatientAsync("pat-none", renal, ct)).Problem);
        Assert.Equal(ProblemKind.NotFound, (await people.CareTeams.AssignPatientAsync("pat-1", "team-none", ct)).Problem);
        Assert.Equal([(respiratory, 0), (renal, 1)], await CountsAsync());
        Assert.Equal(["pat-1", "pat-2", "pat-1", "pat-2"], people.Moved);

        async Task<List<(string, int)>> CountsAsync() =>
            [.. (await people.CareTeams.ListAsync(ct)).OrderByDescending(t => t.Id == respiratory).Select(t => (t.Id, t.PatientCount))];
    }
}
