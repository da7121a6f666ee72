using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Core.Alerting;
using OpenWard.Server.Access;
using OpenWard.Server.Alerts;
using OpenWard.Server.Hosting;
using OpenWard.Server.Notes;
using OpenWard.Server.Patients;
using OpenWard.Server.People;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Encryption at rest keeps its keys and re-seals protected columns the same on SQLite and on PostgreSQL:
/// keys made once and loaded at the next start, re-wrapped under a new key-encryption key, values left in
/// clear sealed at start, and a rotation that re-seals every value of every protected column of every
/// feature, each written back to the row its table's key columns name.
/// </summary>
public sealed class FieldProtectorStoreTests
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    // The patients' table (with care teams for its foreign key) and the keys'; the protectors here seal the patients' columns.
    private static readonly FeatureSchema[] Tables = [.. PatientRecords.Schemas, EncryptionSchema.Definition];
    private static readonly IReadOnlyList<ProtectedColumn> PatientColumns = SealingKeys.Of("patients");

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
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var clock = new FakeTimeProvider(Morning);
        var kek = SealingKeys.NewKeyEncryptionKey();

        var first = await SealingKeys.StartProtectorAsync(store.Database, clock, PatientColumns, kek);
        var sealedName = first.Protect("Morwenna Pengelly", FieldProtector.PatientName);
        clock.Advance(TimeSpan.FromHours(1));
        var next = await SealingKeys.StartProtectorAsync(store.Database, clock, PatientColumns, kek);

        Assert.Equal("Morwenna Pengelly", next.Unprotect(sealedName, FieldProtector.PatientName));
        Assert.Equal(first.Index("MRN-20417"), next.Index("MRN-20417"));
        Assert.NotEqual(first.Index("MRN-20417"), first.Index("MRN-20418"));
        Assert.Equal(1L, Convert.ToInt64(await StoredValues.ScalarAsync(store.Database, "SELECT COUNT(*) FROM encryption_keys WHERE purpose = 'data';")));
        Assert.Equal(1L, Convert.ToInt64(await StoredValues.ScalarAsync(store.Database, "SELECT COUNT(*) FROM encryption_keys WHERE purpose = 'index';")));
        Assert.Equal(Morning.ToUnixTimeMilliseconds(), await StoredValues.ScalarAsync(store.Database, "SELECT created_at FROM encryption_keys WHERE purpose = 'data';"));
        Assert.Null(await StoredValues.ScalarAsync(store.Database, "SELECT retired_at FROM encryption_keys WHERE purpose = 'data';"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ANewKeyEncryptionKey_IsRefusedAlone_AndReWrapsTheKeysWhenGivenThePreviousOne(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var clock = new FakeTimeProvider(Morning);
        var (old, replacement) = (SealingKeys.NewKeyEncryptionKey(), SealingKeys.NewKeyEncryptionKey());
        var sealedName = (await SealingKeys.StartProtectorAsync(store.Database, clock, PatientColumns, old)).Protect("Jago Trevithick", FieldProtector.PatientName);
        var wrappedBefore = await StoredValues.ScalarAsync(store.Database, "SELECT wrapped FROM encryption_keys WHERE purpose = 'data';");

        await Assert.ThrowsAsync<InvalidOperationException>(() => SealingKeys.StartProtectorAsync(store.Database, clock, PatientColumns, replacement));
        await SealingKeys.StartProtectorAsync(store.Database, clock, PatientColumns, replacement, old);
        var afterwards = await SealingKeys.StartProtectorAsync(store.Database, clock, PatientColumns, replacement);

        Assert.NotEqual(wrappedBefore, await StoredValues.ScalarAsync(store.Database, "SELECT wrapped FROM encryption_keys WHERE purpose = 'data';"));
        Assert.Equal("Jago Trevithick", afterwards.Unprotect(sealedName, FieldProtector.PatientName));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => afterwards.Unprotect(sealedName, FieldProtector.PatientMrn));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task PatientsWrittenInClear_AreSealedAtTheFirstStart_FindableByRecordNumber_AndNotScannedAgain(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var clock = new FakeTimeProvider(Morning);
        var kek = SealingKeys.NewKeyEncryptionKey();
        // As an OpenWard from before encryption at rest left them.
        await StoredValues.ExecuteAsync(store.Database, """
            INSERT INTO patients (id, display_name, mrn, created_at) VALUES ('pat-old1', 'Loveday Penhaligon', 'MRN-3301', 1000), ('pat-old2', 'Tamsin Rowse', NULL, 2000);
            """);

        var protector = await SealingKeys.StartProtectorAsync(store.Database, clock, PatientColumns, kek);
        await StoredValues.ExecuteAsync(store.Database, "INSERT INTO patients (id, display_name, created_at) VALUES ('pat-late', 'Written in clear afterwards', 3000);");
        await SealingKeys.StartProtectorAsync(store.Database, clock, PatientColumns, kek);

        var stored = await StoredValues.ScalarAsync(store.Database, "SELECT display_name FROM patients WHERE id = 'pat-old1';") as string;
        Assert.StartsWith("enc1:", stored);
        Assert.StartsWith("enc1:", await StoredValues.ScalarAsync(store.Database, "SELECT mrn FROM patients WHERE id = 'pat-old1';") as string);
        Assert.Equal(protector.Index("MRN-3301"), await StoredValues.ScalarAsync(store.Database, "SELECT mrn_index FROM patients WHERE id = 'pat-old1';"));
        Assert.Null(await StoredValues.ScalarAsync(store.Database, "SELECT mrn FROM patients WHERE id = 'pat-old2';"));
        Assert.Null(await StoredValues.ScalarAsync(store.Database, "SELECT mrn_index FROM patients WHERE id = 'pat-old2';"));
        var patients = new PatientRegistry(store.Database, protector, clock);
        Assert.Equal(("pat-old1", "Loveday Penhaligon", "MRN-3301"), await FoundAsync(patients, "MRN-3301"));
        Assert.Equal("Tamsin Rowse", (await patients.FindAsync("pat-old2", TestContext.Current.CancellationToken))?.Name);
        // Each column was marked sealed at the first start, so the next start left the later clear value alone.
        Assert.Equal("Written in clear afterwards", await StoredValues.ScalarAsync(store.Database, "SELECT display_name FROM patients WHERE id = 'pat-late';"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Rotation_ResealsEveryPatientUnderANewKey_AndRetiresTheOldOne_WhoseValuesStillOpen(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(Morning);
        var kek = SealingKeys.NewKeyEncryptionKey();
        var protector = await SealingKeys.StartProtectorAsync(store.Database, clock, PatientColumns, kek);
        var patients = new PatientRegistry(store.Database, protector, clock);
        var first = (await patients.AddAsync("Demelza Carne", "MRN-5120", null, ct)).Value!;
        clock.Advance(TimeSpan.FromMinutes(1));
        var second = (await patients.AddAsync("Kerensa Hocking", null, null, ct)).Value!;
        var sealedBefore = (string)(await StoredValues.ScalarAsync(store.Database, "SELECT display_name FROM patients WHERE id = @id;", ("@id", first.Id)))!;
        var previousKey = sealedBefore.Split(':')[1];

        clock.Advance(TimeSpan.FromMinutes(30));
        var activeKey = await protector.RotateAsync(ct);

        Assert.NotEqual(previousKey, activeKey);
        Assert.Equal(0L, Convert.ToInt64(await StoredValues.ScalarAsync(store.Database,
            "SELECT COUNT(*) FROM patients WHERE substr(display_name, 1, length(@sealed)) <> @sealed OR (mrn IS NOT NULL AND substr(mrn, 1, length(@sealed)) <> @sealed);",
            ("@sealed", $"enc1:{activeKey}:"))));
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), await StoredValues.ScalarAsync(store.Database, "SELECT retired_at FROM encryption_keys WHERE id = @id;", ("@id", previousKey)));
        Assert.Equal("Demelza Carne", protector.Unprotect(sealedBefore, FieldProtector.PatientName));
        Assert.Equal((first.Id, "Demelza Carne", "MRN-5120"), await FoundAsync(patients, "MRN-5120"));
        Assert.Equal(["Demelza Carne", "Kerensa Hocking"], (await patients.ListAsync(ct)).Select(p => p.Name));

        // As at the next start: the new key is the one that seals.
        var restarted = await SealingKeys.StartProtectorAsync(store.Database, clock, PatientColumns, kek);
        Assert.StartsWith($"enc1:{activeKey}:", restarted.Protect("Kerensa Hocking", FieldProtector.PatientName));
        Assert.Equal("Kerensa Hocking", (await new PatientRegistry(store.Database, restarted, clock).FindAsync(second.Id, ct))?.Name);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task SealingAndRotation_WriteEachValueBackToTheRowItsKeyColumnsName(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, [.. Tables, WardSamples]);
        var clock = new FakeTimeProvider(Morning);
        var kek = SealingKeys.NewKeyEncryptionKey();
        await StoredValues.ExecuteAsync(store.Database, """
            INSERT INTO ward_samples (ward, seq, text) VALUES
                ('north', 1, 'north first'), ('north', 2, 'north second'), ('south', 1, 'south first'), ('south', 2, NULL);
            """);

        var protector = await SealingKeys.StartProtectorAsync(store.Database, clock, [WardSampleText], kek);
        var sealedAtStart = await ProtectedValuesAsync(store.Database, [WardSampleText]);
        var activeKey = await protector.RotateAsync(TestContext.Current.CancellationToken);
        var resealed = await ProtectedValuesAsync(store.Database, [WardSampleText]);

        Dictionary<(string, string), string?> expected = new()
        {
            [(WardSampleText.Name, "north 1")] = "north first", [(WardSampleText.Name, "north 2")] = "north second",
            [(WardSampleText.Name, "south 1")] = "south first", [(WardSampleText.Name, "south 2")] = null,
        };
        Assert.Equal(expected, Opened(sealedAtStart, protector));
        Assert.Equal(expected, Opened(resealed, protector));
        Assert.All(sealedAtStart.Values.OfType<string>(), value => Assert.DoesNotContain($"enc1:{activeKey}:", value, StringComparison.Ordinal));
        Assert.All(resealed.Values.OfType<string>(), value => Assert.StartsWith($"enc1:{activeKey}:", value, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Rotation_ResealsEveryProtectedColumnOfEveryFeature_EachValueInItsOwnRow(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, [.. StoreSchemas.Every]);
        var clock = new FakeTimeProvider(Morning);
        var protector = await SealingKeys.StartProtectorAsync(store.Database, clock);
        await WriteEveryProtectedColumnAsync(store.Database, protector, clock);
        var before = await ProtectedValuesAsync(store.Database, FieldProtector.ProtectedColumns);

        clock.Advance(TimeSpan.FromMinutes(30));
        var activeKey = await protector.RotateAsync(TestContext.Current.CancellationToken);
        var after = await ProtectedValuesAsync(store.Database, FieldProtector.ProtectedColumns);

        // A column added to FieldProtector.ProtectedColumns needs its values written by WriteEveryProtectedColumnAsync.
        Assert.All(FieldProtector.ProtectedColumns, column =>
            Assert.True(before.Count(v => v.Key.Column == column.Name && v.Value is not null) >= 2, $"{column.Name} has fewer than two values to re-seal"));
        Assert.All(before.Values.OfType<string>(), value => Assert.StartsWith("enc1:", value, StringComparison.Ordinal));
        Assert.All(before.Values.OfType<string>(), value => Assert.DoesNotContain($"enc1:{activeKey}:", value, StringComparison.Ordinal));
        Assert.All(after.Values.OfType<string>(), value => Assert.StartsWith($"enc1:{activeKey}:", value, StringComparison.Ordinal));
        Assert.Equal(Opened(before, protector), Opened(after, protector));
    }

    private static async Task<(string Id, string Name, string? Mrn)?> FoundAsync(PatientRegistry patients, string identifier) =>
        await patients.FindByIdentifierAsync(identifier, TestContext.Current.CancellationToken) is { } patient ? (patient.Id, patient.Name, patient.Mrn) : null;

    // Two values or more in each protected column, written as each feature's store writes them.
    private static async Task WriteEveryProtectedColumnAsync(ClinicalDatabase database, FieldProtector protector, FakeTimeProvider clock)
    {
        var ct = TestContext.Current.CancellationToken;
        var patients = new PatientRegistry(database, protector, clock);
        var users = new UserDirectory(database, protector, Options.Create(new SignInOptions()), clock);
        var breakGlass = new BreakGlassRegister(database, protector, Options.Create(new BreakGlassOptions()), clock, NullLogger<BreakGlassRegister>.Instance);
        var notes = new ClinicalNotes(database, protector, users, clock);
        var alerting = new AlertingOptions { Webhooks = [new WebhookTarget { Url = "https://receiver.hospital.test/alerts", Secret = "secret" }] };
        var alerts = AlertStores.Create(database, protector, Options.Create(new OpenWardOptions()), clock, alerting);

        var demelza = (await patients.AddAsync("Demelza Carne", "MRN-5120", null, ct)).Value!;
        var kerensa = (await patients.AddAsync("Kerensa Hocking", "MRN-5121", null, ct)).Value!;
        foreach (var (userName, patient) in new[] { ("dr.okafor", demelza), ("nurse.jones", kerensa) })
        {
            var user = (await users.AddAsync(userName, "Test " + userName, UserRoles.Clinician, "correct horse battery staple", null, ct)).Value!;
            Assert.NotNull(await users.StartSecondFactorAsync(user.Id, ct));
            Assert.Equal(ProblemKind.None, (await breakGlass.OpenAsync(user.Id, patient.Id, $"Covering the night shift for {patient.Name}", ct)).Problem);
        }

        foreach (var (patient, condition) in new[] { (demelza, "threshold:heart-rate:high"), (kerensa, "threshold:spo2:low") })
        {
            await notes.AddAsync(patient.Id, "client:ehr", $"{patient.Name} lives alone since March; a neighbour holds the key.", ct);
            // Raised and commented: its summary, its events' details, and the deliveries it queues for the webhook.
            var alert = (await alerts.ApplyAsync(patient.Id, new RuleFinding(condition, AlertSeverity.Urgent, $"{patient.Mrn}: out of range", clock.GetUtcNow()), ct))!.Alert;
            Assert.Equal(ProblemKind.None, (await alerts.CommentAsync(alert.Id, "user:dr.okafor", $"Spoke to {patient.Name}'s daughter", ct)).Problem);
            // As the group commit keeps a message it could not take, naming its patient.
            await StoredValues.ExecuteAsync(database, """
                INSERT INTO dead_letters (received_at, channel, device_id, item_index, reason, raw)
                VALUES (@at, 'mllp', 'oxi-7', NULL, 'PID-3 names no patient on record', @raw);
                """, ("@at", clock.GetUtcNow().ToUnixTimeMilliseconds()), ("@raw", protector.Protect($"MSH|^~\\&|MONITOR\rPID|||{patient.Mrn}", FieldProtector.DeadLetterPayload)));
        }
    }

    // The values of these columns as they lie in their tables (null where a row has none), by column and row: its key columns' values.
    private static async Task<Dictionary<(string Column, string Row), string?>> ProtectedValuesAsync(ClinicalDatabase database, IEnumerable<ProtectedColumn> columns)
    {
        var ct = TestContext.Current.CancellationToken;
        var values = new Dictionary<(string Column, string Row), string?>();
        await using var connection = await database.OpenAsync(ct);
        foreach (var column in columns)
        {
            await using var query = connection.CreateCommand();
            query.CommandText = $"SELECT {string.Join(", ", column.Key)}, {column.Column} FROM {column.Table};";
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = string.Join(" ", Enumerable.Range(0, column.Key.Count).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)));
                values[(column.Name, row)] = reader.IsDBNull(column.Key.Count) ? null : reader.GetString(column.Key.Count);
            }
        }

        return values;
    }

    private static Dictionary<(string Column, string Row), string?> Opened(Dictionary<(string Column, string Row), string?> values, FieldProtector protector) =>
        values.ToDictionary(value => value.Key, value => protector.Unprotect(value.Value, value.Key.Column));
}
