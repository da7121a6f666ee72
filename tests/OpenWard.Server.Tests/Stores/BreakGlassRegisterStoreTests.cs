using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenWard.Server.Access;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Break-glass accesses are kept the same on SQLite and on PostgreSQL: opened with a reason that is sealed
/// at rest, for a limited time, listed newest first until the privacy officer has reviewed them.
/// </summary>
public sealed class BreakGlassRegisterStoreTests
{
    private const string Reason = "Called by the out-of-hours GP about chest pain";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnAccess_IsOpenedWithASealedReason_AndListedUntilReviewed(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var register = Register(people);
        await people.AddPatientAsync("pat-1");
        await people.AddPatientAsync("pat-2");
        var clinician = await people.AddUserAsync("dr.okafor", UserRoles.Clinician);

        var first = (await register.OpenAsync(clinician.Id, "pat-1", "  " + Reason + " ", ct)).Value!;
        people.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = (await register.OpenAsync(clinician.Id, "pat-2", "Ward round cover for Dr Evans", ct)).Value!;

        Assert.Equal((clinician.Id, "pat-1", Reason, StoredPeople.Start, StoredPeople.Start.AddMinutes(30)),
            (first.UserId, first.PatientId, first.Reason, first.OpenedAt, first.ExpiresAt));
        Assert.StartsWith("bg-", first.Id, StringComparison.Ordinal);
        var stored = (string)(await StoredValues.ScalarAsync(people.Database, "SELECT reason FROM break_glass WHERE id = @id;", ("@id", first.Id)))!;
        Assert.StartsWith("enc1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("chest pain", stored, StringComparison.Ordinal);
        Assert.Equal([second, first], await register.ListAsync(unreviewedOnly: true, ct));

        people.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await register.ReviewAsync(first.Id, "privacy.officer", ct));
        Assert.False(await register.ReviewAsync(first.Id, "someone.else", ct));
        Assert.False(await register.ReviewAsync("bg-none", "privacy.officer", ct));

        Assert.Equal([second], await register.ListAsync(unreviewedOnly: true, ct));
        Assert.Equal(
            [second, first with { ReviewedBy = "privacy.officer", ReviewedAt = StoredPeople.Start.AddMinutes(2) }],
            await register.ListAsync(unreviewedOnly: false, ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnAccessWithoutAReasonOrAPatient_IsRefused_AndOneByNoSuchPerson_BreaksTheStoresConstraint(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var register = Register(people);
        await people.AddPatientAsync("pat-1");
        var clinician = await people.AddUserAsync("dr.okafor", UserRoles.Clinician);

        Assert.Equal(ProblemKind.Invalid, (await register.OpenAsync(clinician.Id, "pat-1", "  urgent  ", ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await register.OpenAsync(clinician.Id, "pat-1", null, ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await register.OpenAsync(clinician.Id, "pat-1", new string('r', 1001), ct)).Problem);
        Assert.Equal(ProblemKind.NotFound, (await register.OpenAsync(clinician.Id, "pat-none", Reason, ct)).Problem);
        var refused = await Assert.ThrowsAnyAsync<DbException>(() => register.OpenAsync("usr-none", "pat-1", Reason, ct));

        Assert.True(refused.IsConstraintViolation(), refused.Message);
        Assert.Empty(await register.ListAsync(unreviewedOnly: false, ct));
    }

    private static BreakGlassRegister Register(StoredPeople people) =>
        new(people.Database, people.Protector, Options.Create(new BreakGlassOptions { BreakGlassMinutes = 30 }), people.Clock, NullLogger<BreakGlassRegister>.Instance);
}
