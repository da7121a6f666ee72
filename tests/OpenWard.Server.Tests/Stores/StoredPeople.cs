using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Access;
using OpenWard.Server.Hosting;
using OpenWard.Server.People;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// People's store on one engine for the conformance tests: the user directory and the care teams on a
/// clock the test moves (accounts lock after three failures, for 15 minutes), and patients for them to look after.
/// </summary>
public sealed class StoredPeople : IAsyncDisposable
{
    /// <summary>When each test begins.</summary>
    public static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The password every test account is given.</summary>
    public const string Password = "correct horse battery staple";

    private readonly StoreEngine store;
    private readonly MovedPatients moved = new();

    private StoredPeople(StoreEngine store)
    {
        this.store = store;
        var encryption = new EncryptionOptions { KeyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        Protector = new FieldProtector(store.Database, Options.Create(new OpenWardOptions()), Options.Create(encryption), Clock);
        var signIn = new SignInOptions { LockoutAfterFailures = 3, LockoutMinutes = 15 };
        Users = new UserDirectory(store.Database, Protector, Options.Create(signIn), Clock);
        CareTeams = new CareTeams(store.Database, moved, Clock);
    }

    /// <summary>The store.</summary>
    public ClinicalDatabase Database => store.Database;

    /// <summary>The clock of every store here.</summary>
    public FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>The field protector on the store (its keys loaded only by <see cref="CreateSealingAsync"/>).</summary>
    public FieldProtector Protector { get; }

    /// <summary>The people who sign in.</summary>
    public UserDirectory Users { get; }

    /// <summary>The care teams.</summary>
    public CareTeams CareTeams { get; }

    /// <summary>The patients the care teams were told moved, in order.</summary>
    public IReadOnlyList<string> Moved => [.. moved.Patients];

    /// <summary>People's tables, patients' ids, names and care teams, and <paramref name="more"/> features' tables; no data keys.</summary>
    public static async Task<StoredPeople> CreateAsync(string engine, params FeatureSchema[] more) =>
        new(await StoreEngine.CreateAsync(engine, [TeamPatients.Schema, PeopleSchema.Definition, .. more]));

    /// <summary>Every feature's tables, with data keys, for the stores that seal what they write.</summary>
    public static async Task<StoredPeople> CreateSealingAsync(string engine)
    {
        var people = new StoredPeople(await StoreEngine.CreateAsync(engine, [.. StoreSchemas.Every]));
        await people.Protector.PrepareAsync(TestContext.Current.CancellationToken);
        return people;
    }

    /// <summary>Adds a patient, on a care team when given.</summary>
    public Task AddPatientAsync(string id, string? careTeamId = null) =>
        ExecuteAsync("INSERT INTO patients (id, display_name, created_at, care_team_id) VALUES (@id, 'A patient', @now, @team);",
            ("@id", id), ("@now", Start.ToUnixTimeMilliseconds()), ("@team", careTeamId));

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

    /// <summary>Runs a statement the stores do not offer (a row as a store would have written it).</summary>
    public Task ExecuteAsync(string statement, params (string Name, object? Value)[] parameters) =>
        Database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            foreach (var (name, value) in parameters)
            {
                command.AddParameter(name, value);
            }

            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);

    /// <summary>The first column of the first row <paramref name="query"/> answers, as it lies in the table.</summary>
    public async Task<object?> ScalarAsync(string query, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Database.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => store.DisposeAsync();

    private sealed class MovedPatients : ICareTeamListener
    {
        public ConcurrentQueue<string> Patients { get; } = new();

        public void CareTeamChanged(string patientId) => Patients.Enqueue(patientId);
    }
}
