using OpenWard.Server.Access;
using OpenWard.Server.People;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// People's accounts are kept the same on SQLite and on PostgreSQL: stored and found by a user name whatever
/// its case, listed by name, locked after repeated failures and unlocked, their passwords changed, their
/// sessions ended, disabled, confirmed as a patient's own, and guarded by a second factor whose secret is sealed.
/// </summary>
public sealed class UserDirectoryStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnAccount_IsStored_AndFoundByItsUserNameWhateverTheCase(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;

        var added = await people.Users.AddAsync("  Dr.Okafor ", " Dr Ada Okafor ", UserRoles.Clinician, StoredPeople.Password, null, ct);
        var taken = await people.Users.AddAsync("dr.okafor", "Another Okafor", UserRoles.Nurse, StoredPeople.Password, null, ct);

        var user = added.Value!;
        Assert.Equal(("Dr.Okafor", "Dr Ada Okafor", UserRoles.Clinician, StoredPeople.Start), (user.UserName, user.DisplayName, user.Role, user.CreatedAt));
        Assert.StartsWith("usr-", user.Id, StringComparison.Ordinal);
        Assert.Equal(ProblemKind.Conflict, taken.Problem);
        var found = await people.Users.FindAsync(user.Id, ct);
        Assert.Equal(
            (user.Id, "Dr.Okafor", "Dr Ada Okafor", UserRoles.Clinician, (string?)null, false, false, false, (DateTimeOffset?)null, StoredPeople.Start, 0L),
            (found!.Id, found.UserName, found.DisplayName, found.Role, found.PatientId, found.PatientConfirmed, found.SecondFactor, found.Disabled,
             found.LockedUntil, found.CreatedAt, found.SessionGeneration));
        Assert.Empty(found.CareTeams);
        Assert.Equal(user.Id, (await people.Users.FindByUserNameAsync("DR.OKAFOR", ct))?.Id);
        Assert.Null(await people.Users.FindByUserNameAsync("dr.okafo", ct));
        Assert.Null(await people.Users.FindAsync("usr-none", ct));
        Assert.Equal([user.Id], (await people.Users.ListAsync(ct)).Select(u => u.Id));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AccountsThatCannotBe_AreRefused_AndNotStored(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        const string password = StoredPeople.Password;

        Assert.Equal(ProblemKind.Invalid, (await people.Users.AddAsync("ab", "Too short", UserRoles.Nurse, password, null, ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await people.Users.AddAsync("nurse jones", "Has a space", UserRoles.Nurse, password, null, ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await people.Users.AddAsync("nurse.jones", "  ", UserRoles.Nurse, password, null, ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await people.Users.AddAsync("nurse.jones", "Nurse Jones", "surgeon", password, null, ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await people.Users.AddAsync("nurse.jones", "Nurse Jones", UserRoles.Nurse, "short", null, ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await people.Users.AddAsync("patient.one", "Patient One", UserRoles.Patient, password, null, ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await people.Users.AddAsync("nurse.jones", "Nurse Jones", UserRoles.Nurse, password, "pat-1", ct)).Problem);
        Assert.Equal(ProblemKind.Conflict, (await people.Users.AddAsync("patient.one", "Patient One", UserRoles.Patient, password, "pat-none", ct)).Problem);

        Assert.Empty(await people.Users.ListAsync(ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Accounts_AreListedByUserName_TheCaseOfAToZIgnored(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        foreach (var userName in new[] { "nurse_b", "ward.admin", "Nurse.a", "Nurse2" })
        {
            await people.AddUserAsync(userName, UserRoles.Nurse);
        }

        // '.' before '2' before '_' (character by character), whatever the case.
        Assert.Equal(["Nurse.a", "Nurse2", "nurse_b", "ward.admin"], (await people.Users.ListAsync(ct)).Select(u => u.UserName));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task RepeatedWrongPasswords_LockTheAccount_UntilTheLockoutEndsOrIsLifted(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var user = await people.AddUserAsync("nurse.jones", UserRoles.Nurse);

        Assert.Equal((PasswordCheck.Refused, (UserAccount?)null), await people.Users.CheckPasswordAsync("nobody.here", StoredPeople.Password, null, ct));
        Assert.Equal(PasswordCheck.Refused, (await people.Users.CheckPasswordAsync("nurse.jones", "wrong password one", null, ct)).Check);
        Assert.Equal(PasswordCheck.Refused, (await people.Users.CheckPasswordAsync("nurse.jones", "wrong password two", null, ct)).Check);
        Assert.Equal(PasswordCheck.LockedOut, (await people.Users.CheckPasswordAsync("NURSE.JONES", "wrong password three", null, ct)).Check);
        Assert.Equal(StoredPeople.Start.AddMinutes(15), (await people.Users.FindAsync(user.Id, ct))!.LockedUntil);
        Assert.Equal((PasswordCheck.LockedOut, (UserAccount?)null), await people.Users.CheckPasswordAsync("nurse.jones", StoredPeople.Password, null, ct));

        // Once the lockout has ended the count starts afresh: one more slip does not lock the account again.
        people.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromMilliseconds(1));
        Assert.Equal(PasswordCheck.Refused, (await people.Users.CheckPasswordAsync("nurse.jones", "one more slip", null, ct)).Check);
        var (check, signedIn) = await people.Users.CheckPasswordAsync("nurse.jones", StoredPeople.Password, null, ct);
        Assert.Equal((PasswordCheck.Accepted, user.Id), (check, signedIn?.Id));
        Assert.Null((await people.Users.FindAsync(user.Id, ct))!.LockedUntil);

        // A success resets the count; an administrator lifts a lockout before it ends.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await people.Users.CheckPasswordAsync("nurse.jones", "wrong again " + attempt, null, ct);
        }

        Assert.NotNull((await people.Users.FindAsync(user.Id, ct))!.LockedUntil);
        Assert.True(await people.Users.UnlockAsync(user.Id, ct));
        Assert.False(await people.Users.UnlockAsync("usr-none", ct));
        Assert.Null((await people.Users.FindAsync(user.Id, ct))!.LockedUntil);
        Assert.Equal(PasswordCheck.Accepted, (await people.Users.CheckPasswordAsync("nurse.jones", StoredPeople.Password, null, ct)).Check);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task APasswordChange_NeedsTheCurrentPassword_AndReplacesIt(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var user = await people.AddUserAsync("nurse.jones", UserRoles.Nurse);
        const string newPassword = "violet kettle orbit lantern";

        Assert.Equal(ProblemKind.NotFound, (await people.Users.ChangePasswordAsync("usr-none", StoredPeople.Password, newPassword, ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await people.Users.ChangePasswordAsync(user.Id, StoredPeople.Password, "nurse.jones-2026", ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await people.Users.ChangePasswordAsync(user.Id, "not the password", newPassword, ct)).Problem);
        var changed = await people.Users.ChangePasswordAsync(user.Id, StoredPeople.Password, newPassword, ct);

        Assert.Equal((user.Id, ProblemKind.None), (changed.Value, changed.Problem));
        Assert.Equal(PasswordCheck.Refused, (await people.Users.CheckPasswordAsync("nurse.jones", StoredPeople.Password, null, ct)).Check);
        Assert.Equal(PasswordCheck.Accepted, (await people.Users.CheckPasswordAsync("nurse.jones", newPassword, null, ct)).Check);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task EndingSessionsAndDisabling_ChangeTheStandingOfThePersonsSessions(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var user = await people.AddUserAsync("nurse.jones", UserRoles.Nurse);
        Assert.Equal(new SessionStanding(0, false), await people.Users.SessionStandingAsync(user.Id, ct));

        Assert.True(await people.Users.EndSessionsAsync(user.Id, ct));
        Assert.True(await people.Users.EndSessionsAsync(user.Id, ct));
        Assert.Equal(new SessionStanding(2, false), await people.Users.SessionStandingAsync(user.Id, ct));
        Assert.True(await people.Users.DisableAsync(user.Id, ct));
        Assert.False(await people.Users.DisableAsync(user.Id, ct));

        Assert.Equal(new SessionStanding(2, true), await people.Users.SessionStandingAsync(user.Id, ct));
        Assert.True((await people.Users.FindAsync(user.Id, ct))!.Disabled);
        Assert.Equal((PasswordCheck.Disabled, (UserAccount?)null), await people.Users.CheckPasswordAsync("nurse.jones", StoredPeople.Password, null, ct));
        Assert.False(await people.Users.EndSessionsAsync("usr-none", ct));
        Assert.False(await people.Users.DisableAsync("usr-none", ct));
        Assert.Null(await people.Users.SessionStandingAsync("usr-none", ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task APatientsOwnAccount_IsConfirmedOnce_ByTheirCareTeamOnly(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var ward = await people.AddCareTeamAsync("Respiratory virtual ward");
        var other = await people.AddCareTeamAsync("Renal ward");
        await people.AddPatientAsync("pat-1", ward);
        await people.AddPatientAsync("pat-2", ward);
        var nurse = await people.AddUserAsync("nurse.jones", UserRoles.Nurse, null, ward);
        var elsewhere = await people.AddUserAsync("nurse.evans", UserRoles.Nurse, null, other);
        var patient = await people.AddUserAsync("patient.one", UserRoles.Patient, "pat-1");
        Assert.Equal(("pat-1", false), (patient.PatientId, patient.PatientConfirmed));

        Assert.Equal(PortalAccountConfirmation.NotOnCareTeam, await people.Users.ConfirmPortalAccountAsync("pat-1", patient.Id, elsewhere.Id, ct));
        Assert.Equal(PortalAccountConfirmation.NoPendingAccount, await people.Users.ConfirmPortalAccountAsync("pat-2", patient.Id, nurse.Id, ct));
        Assert.Equal(PortalAccountConfirmation.NoPendingAccount, await people.Users.ConfirmPortalAccountAsync("pat-1", nurse.Id, nurse.Id, ct));
        Assert.False((await people.Users.FindAsync(patient.Id, ct))!.PatientConfirmed);

        Assert.Equal(PortalAccountConfirmation.Confirmed, await people.Users.ConfirmPortalAccountAsync("pat-1", patient.Id, nurse.Id, ct));
        Assert.True((await people.Users.FindAsync(patient.Id, ct))!.PatientConfirmed);
        Assert.Equal(PortalAccountConfirmation.NoPendingAccount, await people.Users.ConfirmPortalAccountAsync("pat-1", patient.Id, nurse.Id, ct));
        Assert.Equal(nurse.Id, await StoredValues.ScalarAsync(people.Database, "SELECT patient_confirmed_by FROM users WHERE id = @id;", ("@id", patient.Id)));
        Assert.Equal(StoredPeople.Start.ToUnixTimeMilliseconds(), await StoredValues.ScalarAsync(people.Database, "SELECT patient_confirmed_at FROM users WHERE id = @id;", ("@id", patient.Id)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ASecondFactor_IsAskedOnceConfirmed_EachCodeServesOnce_AndItsSecretIsSealed(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var user = await people.AddUserAsync("nurse.jones", UserRoles.Nurse);
        var disabled = await people.AddUserAsync("nurse.evans", UserRoles.Nurse);
        await people.Users.DisableAsync(disabled.Id, ct);

        var secret = await people.Users.StartSecondFactorAsync(user.Id, ct);
        Assert.NotNull(secret);
        Assert.Null(await people.Users.StartSecondFactorAsync(disabled.Id, ct));
        Assert.Null(await people.Users.StartSecondFactorAsync("usr-none", ct));
        var stored = (string)(await StoredValues.ScalarAsync(people.Database, "SELECT totp_secret FROM users WHERE id = @id;", ("@id", user.Id)))!;
        Assert.StartsWith("enc1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);

        // Not asked for until confirmed with a code from the app.
        Assert.False((await people.Users.FindAsync(user.Id, ct))!.SecondFactor);
        Assert.Equal(PasswordCheck.Accepted, (await people.Users.CheckPasswordAsync("nurse.jones", StoredPeople.Password, null, ct)).Check);
        var step = Totp.StepAt(people.Clock.GetUtcNow());
        Assert.False(await people.Users.ConfirmSecondFactorAsync(user.Id, Totp.Code(secret, step + 5), ct));
        Assert.False(await people.Users.ConfirmSecondFactorAsync("usr-none", Totp.Code(secret, step), ct));
        Assert.True(await people.Users.ConfirmSecondFactorAsync(user.Id, Totp.Code(secret, step), ct));
        Assert.True((await people.Users.FindAsync(user.Id, ct))!.SecondFactor);

        Assert.Equal(PasswordCheck.Refused, (await people.Users.CheckPasswordAsync("nurse.jones", StoredPeople.Password, null, ct)).Check);
        Assert.Equal(PasswordCheck.Refused, (await people.Users.CheckPasswordAsync("nurse.jones", StoredPeople.Password, Totp.Code(secret, step), ct)).Check);
        people.Clock.Advance(TimeSpan.FromSeconds(30));
        var next = Totp.Code(secret, step + 1);
        Assert.Equal(PasswordCheck.Accepted, (await people.Users.CheckPasswordAsync("nurse.jones", StoredPeople.Password, next, ct)).Check);
        Assert.Equal(PasswordCheck.Refused, (await people.Users.CheckPasswordAsync("nurse.jones", StoredPeople.Password, next, ct)).Check);
    }
}
