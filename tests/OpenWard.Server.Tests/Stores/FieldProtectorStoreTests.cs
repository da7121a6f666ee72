using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Encryption at rest keeps its keys and re-seals protected columns the same on SQLite and on PostgreSQL:
/// keys made once and loaded at the next start, re-wrapped under a new key-encryption key, values left in
/// clear sealed at start, and a rotation that re-seals every row it names by its table's key columns.
/// (Rotation is held here on the patients' columns and a table of the test's own; the other features'
/// protected tables join as their PostgreSQL tables do.)
/// </summary>
public sealed class FieldProtectorStoreTests
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    // A table of the test's own whose rows are named by two key columns of two types, as no feature's is yet.
    private static readonly FeatureSchema WardSamples = new("ward-samples",
    [
        SchemaMigration.Sql(1, "ward samples", "CREATE TABLE ward_samples (ward TEXT NOT NULL, seq INTEGER NOT NULL, text TEXT NULL, PRIMARY KEY (ward, seq));"),
    ])
    {
        PostgreSql = [new(1, "ward samples", "CREATE TABLE ward_samples (ward TEXT NOT NULL, seq BIGINT NOT NULL, text TEXT NULL, PRIMARY KEY (ward, seq));")],
    };

    private static readonly ProtectedColumn WardSampleText = new("ward_samples.text", ["ward", "seq"]);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TheFirstStart_MakesOneDataKeyAndOneIndexKey_WhichTheNextStartLoads(string engine)
    {
        await using var store = await FleetStore.CreateAsync(engine);
        var clock = new FakeTimeProvider(Morning);
        var kek = FleetStore.NewKeyEncryptionKey();

        var first = await FleetStore.StartProtectorAsync(store.Database, clock, kek);
        var sealedName = first.Protect("Morwenna Pengelly", FieldProtector.PatientName);
        clock.Advance(TimeSpan.FromHours(1));
        var next = await FleetStore.StartProtectorAsync(store.Database, clock, kek);

        Assert.Equal("Morwenna Pengelly", next.Unprotect(sealedName, FieldProtector.PatientName));
        Assert.Equal(first.Index("MRN-20417"), next.Index("MRN-20417"));
        Assert.NotEqual(first.Index("MRN-20417"), first.Index("MRN-20418"));
        Assert.Equal(1L, Convert.ToInt64(await FleetStore.ScalarAsync(store.Database, "SELECT COUNT(*) FROM encryption_keys WHERE purpose = 'data';")));
        Assert.Equal(1L, Convert.ToInt64(await FleetStore.ScalarAsync(store.Database, "SELECT COUNT(*) FROM encryption_keys WHERE purpose = 'index';")));
        Assert.Equal(Morning.ToUnixTimeMilliseconds(), await FleetStore.ScalarAsync(store.Database, "SELECT created_at FROM encryption_keys WHERE purpose = 'data';"));
        Assert.Null(await FleetStore.ScalarAsync(store.Database, "SELECT retired_at FROM encryption_keys WHERE purpose = 'data';"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ANewKeyEncryptionKey_IsRefusedAlone_AndReWrapsTheKeysWhenGivenThePreviousOne(string engine)
    {
        await using var store = await FleetStore.CreateAsync(engine);
        var clock = new FakeTimeProvider(Morning);
        var (old, replacement) = (FleetStore.NewKeyEncryptionKey(), FleetStore.NewKeyEncryptionKey());
        var sealedName = (await FleetStore.StartProtectorAsync(store.Database, clock, old)).Protect("Jago Trevithick", FieldProtector.PatientName);
        var wrappedBefore = await FleetStore.ScalarAsync(store.Database, "SELECT wrapped FROM encryption_keys WHERE purpose = 'data';");

        await Assert.ThrowsAsync<InvalidOperationException>(() => FleetStore.StartProtectorAsync(store.Database, clock, replacement));
        await FleetStore.StartProtectorAsync(store.Database, clock, replacement, previousKeyEncryptionKey: old);
        var afterwards = await FleetStore.StartProtectorAsync(store.Database, clock, replacement);

        Assert.NotEqual(wrappedBefore, await FleetStore.ScalarAsync(store.Database, "SELECT wrapped FROM encryption_keys WHERE purpose = 'data';"));
        Assert.Equal("Jago Trevithick", afterwards.Unprotect(sealedName, FieldProtector.PatientName));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => afterwards.Unprotect(sealedName, FieldProtector.PatientMrn));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task PatientsWrittenInClear_AreSealedAtTheFirstStart_FindableByRecordNumber_AndNotScannedAgain(string engine)
    {
        await using var store = await FleetStore.CreateAsync(engine);
        var clock = new FakeTimeProvider(Morning);
        var kek = FleetStore.NewKeyEncryptionKey();
        // As an OpenWard from before encryption at rest left them.
        await FleetStore.ExecuteAsync(store.Database, """
            INSERT INTO patients (id, display_name, mrn, created_at) VALUES ('pat-old1', 'Loveday Penhaligon', 'MRN-3301', 1000), ('pat-old2', 'Tamsin Rowse', NULL, 2000);
            """);

        var protector = await FleetStore.StartProtectorAsync(store.Database, clock, kek);
        await FleetStore.ExecuteAsync(store.Database, "INSERT INTO patients (id, display_name, created_at) VALUES ('pat-late', 'Written in clear afterwards', 3000);");
        await FleetStore.StartProtectorAsync(store.Database, clock, kek);

        var stored = await FleetStore.ScalarAsync(store.Database, "SELECT display_name FROM patients WHERE id = 'pat-old1';") as string;
        Assert.StartsWith("enc1:", stored);
        Assert.StartsWith("enc1:", await FleetStore.ScalarAsync(store.Database, "SELECT mrn FROM patients WHERE id = 'pat-old1';") as string);
        Assert.Equal(protector.Index("MRN-3301"), await FleetStore.ScalarAsync(store.Database, "SELECT mrn_index FROM patients WHERE id = 'pat-old1';"));
        Assert.Null(await FleetStore.ScalarAsync(store.Database, "SELECT mrn FROM patients WHERE id = 'pat-old2';"));
        Assert.Null(await FleetStore.ScalarAsync(store.Database, "SELECT mrn_index FROM patients WHERE id = 'pat-old2';"));
        var patients = new Patients.PatientRegistry(store.Database, protector, clock);
        Assert.Equal(("pat-old1", "Loveday Penhaligon", "MRN-3301"), await FoundAsync(patients, "MRN-3301"));
        Assert.Equal("Tamsin Rowse", (await patients.FindAsync("pat-old2", TestContext.Current.CancellationToken))?.Name);
        // Each column was marked sealed at the first start, so the next start left the later clear value alone.
        Assert.Equal("Written in clear afterwards", await FleetStore.ScalarAsync(store.Database, "SELECT display_name FROM patients WHERE id = 'pat-late';"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Rotation_ResealsEveryPatientUnderANewKey_AndRetiresTheOldOne_WhoseValuesStillOpen(string engine)
    {
        await using var store = await FleetStore.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(Morning);
        var kek = FleetStore.NewKeyEncryptionKey();
        var protector = await FleetStore.StartProtectorAsync(store.Database, clock, kek);
        var patients = new Patients.PatientRegistry(store.Database, protector, clock);
        var first = (await patients.AddAsync("Demelza Carne", "MRN-5120", null, ct)).Value!;
        clock.Advance(TimeSpan.FromMinutes(1));
        var second = (await patients.AddAsync("Kerensa Hocking", null, null, ct)).Value!;
        var sealedBefore = (string)(await FleetStore.ScalarAsync(store.Database, "SELECT display_name FROM patients WHERE id = @id;", ("@id", first.Id)))!;
        var previousKey = sealedBefore.Split(':')[1];

        clock.Advance(TimeSpan.FromMinutes(30));
        var activeKey = await protector.RotateAsync(ct);

        Assert.NotEqual(previousKey, activeKey);
        Assert.Equal(0L, Convert.ToInt64(await FleetStore.ScalarAsync(store.Database,
            "SELECT COUNT(*) FROM patients WHERE substr(display_name, 1, length(@sealed)) <> @sealed OR (mrn IS NOT NULL AND substr(mrn, 1, length(@sealed)) <> @sealed);",
            ("@sealed", $"enc1:{activeKey}:"))));
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), await FleetStore.ScalarAsync(store.Database, "SELECT retired_at FROM encryption_keys WHERE id = @id;", ("@id", previousKey)));
        Assert.Equal("Demelza Carne", protector.Unprotect(sealedBefore, FieldProtector.PatientName));
        Assert.Equal((first.Id, "Demelza Carne", "MRN-5120"), await FoundAsync(patients, "MRN-5120"));
        Assert.Equal(["Demelza Carne", "Kerensa Hocking"], (await patients.ListAsync(ct)).Select(p => p.Name));

        // As at the next start: the new key is the one that seals.
        var restarted = await FleetStore.StartProtectorAsync(store.Database, clock, kek);
        Assert.StartsWith($"enc1:{activeKey}:", restarted.Protect("Kerensa Hocking", FieldProtector.PatientName));
        Assert.Equal("Kerensa Hocking", (await new Patients.PatientRegistry(store.Database, restarted, clock).FindAsync(second.Id, ct))?.Name);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task SealingAndRotation_WriteEachValueBackToTheRowItsKeyColumnsName(string engine)
    {
        await using var store = await FleetStore.CreateAsync(engine, WardSamples);
        var clock = new FakeTimeProvider(Morning);
        var kek = FleetStore.NewKeyEncryptionKey();
        await FleetStore.ExecuteAsync(store.Database, """
            INSERT INTO ward_samples (ward, seq, text) VALUES
                ('north', 1, 'north first'), ('north', 2, 'north second'), ('south', 1, 'south first'), ('south', 2, NULL);
            """);

        var protector = await FleetStore.StartProtectorAsync(store.Database, clock, kek, columns: [WardSampleText]);
        var sealedAtStart = await ReadSamplesAsync(store.Database);
        var activeKey = await protector.RotateAsync(TestContext.Current.CancellationToken);
        var resealed = await ReadSamplesAsync(store.Database);

        Dictionary<(string, long), string?> expected = new()
        {
            [("north", 1)] = "north first", [("north", 2)] = "north second", [("south", 1)] = "south first", [("south", 2)] = null,
        };
        Assert.Equal(expected, sealedAtStart.ToDictionary(s => s.Key, s => protector.Unprotect(s.Value, WardSampleText.Name)));
        Assert.Equal(expected, resealed.ToDictionary(s => s.Key, s => protector.Unprotect(s.Value, WardSampleText.Name)));
        Assert.All(sealedAtStart.Values.OfType<string>(), value => Assert.DoesNotContain($"enc1:{activeKey}:", value, StringComparison.Ordinal));
        Assert.All(resealed.Values.OfType<string>(), value => Assert.StartsWith($"enc1:{activeKey}:", value, StringComparison.Ordinal));
    }

    private static async Task<(string Id, string Name, string? Mrn)?> FoundAsync(Patients.PatientRegistry patients, string identifier) =>
        await patients.FindByIdentifierAsync(identifier, TestContext.Current.CancellationToken) is { } patient ? (patient.Id, patient.Name, patient.Mrn) : null;

    private static async Task<Dictionary<(string Ward, long Seq), string?>> ReadSamplesAsync(ClinicalDatabase database)
    {
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT ward, seq, text FROM ward_samples;";
        await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var samples = new Dictionary<(string, long), string?>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            samples[(reader.GetString(0), reader.GetInt64(1))] = reader.IsDBNull(2) ? null : reader.GetString(2);
        }

        return samples;
    }
}
