using System.Security.Claims;
using OpenWard.Server.Access;
using OpenWard.Server.People;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Who may see which patient is decided the same on SQLite and on PostgreSQL: a clinician or nurse their
/// care teams' patients and those they opened by break-glass until it expires, a patient themself once
/// confirmed, an integration client everyone, and any other caller no one.
/// </summary>
public sealed class PatientAccessStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ANurse_SeesTheirCareTeamsPatients_UntilTheirAccountIsDisabled(string engine)
    {
        await using var people = await WardAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var access = new PatientAccess(people.Database, people.Clock);
        var nurse = Person((await people.Users.FindByUserNameAsync("nurse.jones", ct))!);

        Assert.Equal(PatientAccessDecision.Allowed, await access.DecideAsync(nurse, "pat-1", ct));
        Assert.Equal(PatientAccessDecision.Denied, await access.DecideAsync(nurse, "pat-3", ct));
        Assert.Equal(PatientAccessDecision.Denied, await access.DecideAsync(nurse, "pat-4", ct));
        Assert.Equal(PatientAccessDecision.NotFound, await access.DecideAsync(nurse, "pat-none", ct));
        Assert.Equal(["pat-1", "pat-2"], (await access.VisiblePatientsAsync(nurse, ct)).Order(StringComparer.Ordinal));

        await people.Users.DisableAsync(nurse.FindFirst("sub")!.Value, ct);
        Assert.Equal(PatientAccessDecision.Denied, await access.DecideAsync(nurse, "pat-1", ct));
        Assert.Empty(await access.VisiblePatientsAsync(nurse, ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task BreakGlass_OpensAPatientOutsideTheTeam_UntilItExpires(string engine)
    {
        await using var people = await WardAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var access = new PatientAccess(people.Database, people.Clock);
        var user = (await people.Users.FindByUserNameAsync("nurse.jones", ct))!;
        // As BreakGlassRegister writes it (the reason sealed, which this decision never reads).
        await StoredValues.ExecuteAsync(people.Database, """
            INSERT INTO break_glass (id, user_id, patient_id, reason, opened_at, expires_at)
            VALUES ('bg-1', @user, 'pat-3', 'enc1:sealed', @opened, @expires);
            """, ("@user", user.Id), ("@opened", StoredPeople.Start.ToUnixTimeMilliseconds()), ("@expires", StoredPeople.Start.AddHours(1).ToUnixTimeMilliseconds()));

        Assert.Equal(PatientAccessDecision.Allowed, await access.DecideAsync(Person(user), "pat-3", ct));
        Assert.Equal(["pat-1", "pat-2", "pat-3"], (await access.VisiblePatientsAsync(Person(user), ct)).Order(StringComparer.Ordinal));

        people.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(PatientAccessDecision.Denied, await access.DecideAsync(Person(user), "pat-3", ct));
        Assert.Equal(["pat-1", "pat-2"], (await access.VisiblePatientsAsync(Person(user), ct)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task APatientsOwnAccount_SeesOnlyThemself_OnceTheirCareTeamConfirmedIt(string engine)
    {
        await using var people = await WardAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var access = new PatientAccess(people.Database, people.Clock);
        var account = await people.AddUserAsync("patient.one", UserRoles.Patient, "pat-1");

        Assert.Equal(PatientAccessDecision.Denied, await access.DecideAsync(Person(account), "pat-1", ct));
        Assert.Empty(await access.VisiblePatientsAsync(Person(account), ct));

        await people.Users.ConfirmPortalAccountAsync("pat-1", account.Id, (await people.Users.FindByUserNameAsync("nurse.jones", ct))!.Id, ct);
        Assert.Equal(PatientAccessDecision.Allowed, await access.DecideAsync(Person(account), "pat-1", ct));
        Assert.Equal(PatientAccessDecision.Denied, await access.DecideAsync(Person(account), "pat-2", ct));
        Assert.Equal(["pat-1"], await access.VisiblePatientsAsync(Person(account), ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnIntegrationClient_SeesEveryPatient_AndOtherCallersNone(string engine)
    {
        await using var people = await WardAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var access = new PatientAccess(people.Database, people.Clock);
        var integration = Client(ClientRoles.Integration);
        var administrator = Client(ClientRoles.Administrator);
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity());

        Assert.Equal(PatientAccessDecision.Allowed, await access.DecideAsync(integration, "pat-4", ct));
        Assert.Equal(PatientAccessDecision.NotFound, await access.DecideAsync(integration, "pat-none", ct));
        Assert.Equal(["pat-1", "pat-2", "pat-3", "pat-4"], (await access.VisiblePatientsAsync(integration, ct)).Order(StringComparer.Ordinal));
        Assert.Equal(PatientAccessDecision.Denied, await access.DecideAsync(administrator, "pat-1", ct));
        Assert.Equal(PatientAccessDecision.NotFound, await access.DecideAsync(administrator, "pat-none", ct));
        Assert.Empty(await access.VisiblePatientsAsync(administrator, ct));
        Assert.Equal(PatientAccessDecision.Denied, await access.DecideAsync(anonymous, "pat-1", ct));
        Assert.Empty(await access.VisiblePatientsAsync(anonymous, ct));
    }

    // Two care teams: pat-1 and pat-2 on nurse.jones's, pat-3 on another, pat-4 on none.
    private static async Task<StoredPeople> WardAsync(string engine)
    {
        var people = await StoredPeople.CreateAsync(engine);
        var ward = await people.AddCareTeamAsync("Respiratory virtual ward");
        var other = await people.AddCareTeamAsync("Renal ward");
        await people.AddPatientAsync("pat-1", ward);
        await people.AddPatientAsync("pat-2", ward);
        await people.AddPatientAsync("pat-3", other);
        await people.AddPatientAsync("pat-4");
        await people.AddUserAsync("nurse.jones", UserRoles.Nurse, null, ward);
        return people;
    }

    private static ClaimsPrincipal Person(UserAccount user) =>
        Principal(user.Id, user.Role, Caller.PersonKind);

    private static ClaimsPrincipal Client(string role) =>
        Principal("client-" + role, role, Caller.ClientKind);

    private static ClaimsPrincipal Principal(string subject, string role, string kind) =>
        new(new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role), new Claim(Caller.KindClaim, kind)], "test"));
}
