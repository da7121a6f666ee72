using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Access;
using OpenWard.Server.Patients;
using OpenWard.Server.People;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// People's store on one engine for the conformance tests: the user directory and the care teams on a
/// clock the test moves (accounts lock after three failures, for 15 minutes), patients for them to look
/// after, break-glass accesses, and the keys that seal second-factor secrets and break-glass reasons.
/// </summary>
public sealed class StoredPeople : IAsyncDisposable
{
    /// <summary>When each test begins.</summary>
    public static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The password every test account is given.</summary>
    public const string Password = "correct horse battery staple";

    private readonly StoreEngine store;
    private readonly MovedPatients moved = new();

    private StoredPeople(StoreEngine store, FakeTimeProvider clock, FieldProtector protector)
    {
        this.store = store;
        Clock = clock;
        Protector = protector;
        var signIn = new SignInOptions { LockoutAfterFailures = 3, LockoutMinutes = 15 };
        Users = new UserDirectory(store.Database, Protector, Options.Create(signIn), Clock);
        CareTeams = new CareTeams(store.Database, moved, Clock);
    }

    /// <summary>The store.</summary>
    public ClinicalDatabase Database => store.Database;

    /// <summary>The clock of every store here.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The field protector on the store, its keys in it.</summary>
    public FieldProtector Protector { get; }

    /// <summary>The people who sign in.</summary>
    public UserDirectory Users { get; }

    /// <summary>The care teams.</summary>
    public CareTeams CareTeams { get; }

    /// <summary>The patients the care teams were told moved, in order.</summary>
    public IReadOnlyList<string> Moved => [.. moved.Patients];

    /// <summary>The tables of patients, people, break-glass accesses and encryption keys, and <paramref name="more"/> features' tables.</summary>
    public static async Task<StoredPeople> CreateAsync(string engine, params FeatureSchema[] more)
    {
        var store = await StoreEngine.CreateAsync(engine,
            [PatientsSchema.Definition, PeopleSchema.Definition, BreakGlassSchema.Definition, EncryptionSchema.Definition, .. more]);
        var clock = new FakeTimeProvider(Start);
        var protector = await SealingKeys.StartProtectorAsync(store.Database, clock, SealingKeys.Of("patients", "users", "break_glass"));
        return new StoredPeople(store, clock, protector);
    }

    /// <summary>Adds a patient, on a care team when given.</summary>
    public Task AddPatientAsync(string id, string? careTeamId = null) => PatientRecords.AddAsync(Database, id, careTeamId);

    /// <summary>Adds an account with <see cref="Password"/>, on the care teams given.</summary>
    public async Task<UserAccount> AddUserAsync(string userName, string role, string? patientId = null, params string[] careTeams)
    {
        var ct = TestContext.Current.CancellationToken;
        var user = (await Users.AddAsync(userName, "Test " + userName, role, Password, patientId, ct)).Value!;
        foreach (var team in careTeams)
        {
            Assert.Equal(ProblemKind.None, (await CareTeams.AddMemberAsync(team, user.Id, ct)).Problem);
        }

        return user;
    }

    /// <summary>Adds a care team.</summary>
    public async Task<string> AddCareTeamAsync(string name) =>
        (await CareTeams.AddAsync(name, TestContext.Current.CancellationToken)).Value!.Id;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => store.DisposeAsync();

    private sealed class MovedPatients : ICareTeamListener
    {
        public ConcurrentQueue<string> Patients { get; } = new();

        public void CareTeamChanged(string patientId) => Patients.Enqueue(patientId);
    }
}
