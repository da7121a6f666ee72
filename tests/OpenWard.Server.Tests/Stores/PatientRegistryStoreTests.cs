using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Patients;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// The patients' store behaves the same on SQLite and on PostgreSQL: patients added with their names and
/// record numbers sealed, found by id or record number, listed in the order they were added, refused
/// when invalid or clashing, and their care teams read one or many at a time.
/// </summary>
public sealed class PatientRegistryStoreTests
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    private static readonly FeatureSchema[] Tables = [.. PatientRecords.Schemas, EncryptionSchema.Definition];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnAddedPatient_IsSealedAtRest_AndFoundByIdOrRecordNumber(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(Morning);
        var patients = await PatientsAsync(store.Database, clock);
        await PatientRecords.AddCareTeamAsync(store.Database, "team-cardiology");

        var added = await patients.AddAsync("  Wenna Polglase ", " MRN-7781 ", "team-cardiology", ct);

        var patient = added.Value!;
        Assert.Equal(ProblemKind.None, added.Problem);
        Assert.Equal(("Wenna Polglase", "MRN-7781", "team-cardiology", Morning), (patient.Name, patient.Mrn, patient.CareTeamId, patient.CreatedAt));
        Assert.Equal(patient, await patients.FindAsync(patient.Id, ct));
        Assert.Equal(patient, await patients.FindByIdentifierAsync(patient.Id, ct));
        Assert.Equal(patient, await patients.FindByIdentifierAsync("MRN-7781", ct));
        Assert.Null(await patients.FindByIdentifierAsync("MRN-7782", ct));
        Assert.Null(await patients.FindAsync("MRN-7781", ct));
        Assert.True(await patients.ExistsAsync(patient.Id, ct));
        Assert.False(await patients.ExistsAsync("pat-000000000000", ct));
        Assert.StartsWith("enc1:", await StoredValues.ScalarAsync(store.Database, "SELECT display_name FROM patients WHERE id = @id;", ("@id", patient.Id)) as string);
        Assert.StartsWith("enc1:", await StoredValues.ScalarAsync(store.Database, "SELECT mrn FROM patients WHERE id = @id;", ("@id", patient.Id)) as string);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnIdentifier_FindsThePatientWithThatId_BeforeAnotherWhoseRecordNumberIsSpeltTheSame(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var ct = TestContext.Current.CancellationToken;
        var patients = await PatientsAsync(store.Database, new FakeTimeProvider(Morning));
        var first = (await patients.AddAsync("Ysella Bolitho", null, null, ct)).Value!;
        var second = (await patients.AddAsync("Piran Nancarrow", first.Id, null, ct)).Value!;

        Assert.Equal(first.Id, (await patients.FindByIdentifierAsync(first.Id, ct))?.Id);
        Assert.Equal(first.Id, second.Mrn);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Patients_AreListedInTheOrderTheyWereAdded_ThenById(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(Morning);
        var patients = await PatientsAsync(store.Database, clock);
        var added = new List<Patient>();
        foreach (var name in new[] { "Senara Tremayne", "Cadan Jory", "Elowen Pascoe" })
        {
            added.Add((await patients.AddAsync(name, null, null, ct)).Value!);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        // Two at the same moment: then the id decides.
        added.Add((await patients.AddAsync("Jowan Rosewarne", null, null, ct)).Value!);
        added.Add((await patients.AddAsync("Morvah Keast", null, null, ct)).Value!);

        var expected = added.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await patients.ListAsync(ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task InvalidOrClashingPatients_AreRefused_AndNothingIsStored(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var ct = TestContext.Current.CancellationToken;
        var patients = await PatientsAsync(store.Database, new FakeTimeProvider(Morning));
        await PatientRecords.AddCareTeamAsync(store.Database, "team-respiratory");
        var kept = (await patients.AddAsync("Tressa Angove", "MRN-1001", "team-respiratory", ct)).Value!;

        Assert.Equal(ProblemKind.Invalid, (await patients.AddAsync("   ", null, null, ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await patients.AddAsync(new string('a', 201), null, null, ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await patients.AddAsync("Austell Vosper", new string('7', 65), null, ct)).Problem);
        Assert.Equal(ProblemKind.Conflict, (await patients.AddAsync("Austell Vosper", " MRN-1001", null, ct)).Problem);
        Assert.Equal(ProblemKind.Conflict, (await patients.AddAsync("Austell Vosper", null, "team-no-such", ct)).Problem);

        Assert.Equal([kept], await patients.ListAsync(ct));
        // A blank record number is no record number: it clashes with no one.
        var unnumbered = (await patients.AddAsync("Austell Vosper", " ", "team-respiratory", ct)).Value!;
        Assert.Null(unnumbered.Mrn);
        Assert.Null((await patients.FindAsync(unnumbered.Id, ct))!.Mrn);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task CareTeams_AreReadForOnePatientOrMany_LeavingOutPatientsOnNoTeam(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var ct = TestContext.Current.CancellationToken;
        var patients = await PatientsAsync(store.Database, new FakeTimeProvider(Morning));
        await PatientRecords.AddCareTeamAsync(store.Database, "team-north");
        await PatientRecords.AddCareTeamAsync(store.Database, "team-south");
        var north = (await patients.AddAsync("Lowena Chenoweth", null, "team-north", ct)).Value!;
        var south = (await patients.AddAsync("Gerens Trewin", null, "team-south", ct)).Value!;
        var none = (await patients.AddAsync("Hedra Curnow", null, null, ct)).Value!;

        Assert.Equal("team-north", await patients.CareTeamOfAsync(north.Id, ct));
        Assert.Null(await patients.CareTeamOfAsync(none.Id, ct));
        Assert.Null(await patients.CareTeamOfAsync("pat-000000000000", ct));
        var teams = await patients.CareTeamsOfAsync([north.Id, south.Id, none.Id, "pat-000000000000"], ct);
        Assert.Equal(new Dictionary<string, string> { [north.Id] = "team-north", [south.Id] = "team-south" }, teams);
        Assert.Empty(await patients.CareTeamsOfAsync([], ct));
    }

    // The patients' store on the store, with the keys that seal its columns.
    private static async Task<PatientRegistry> PatientsAsync(ClinicalDatabase database, TimeProvider clock) =>
        new(database, await SealingKeys.StartProtectorAsync(database, clock, SealingKeys.Of("patients")), clock);
}
