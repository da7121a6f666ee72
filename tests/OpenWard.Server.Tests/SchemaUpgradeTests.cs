using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Patients;
using OpenWard.Server.Security;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests;

public sealed class SchemaUpgradeTests
{
    [Fact]
    public async Task DatabaseOfSchema1_IsUpgradedToTheCurrentSchema_KeepingItsPatients()
    {
        var directory = Directory.CreateTempSubdirectory("openward-schema-");
        try
        {
            var file = Path.Combine(directory.FullName, ClinicalDatabase.FileName);
            await using (var old = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await old.OpenAsync(TestContext.Current.CancellationToken);
                await using var create = old.CreateCommand();
                create.CommandText = """
                    CREATE TABLE patients (id TEXT PRIMARY KEY, display_name TEXT NOT NULL, created_at INTEGER NOT NULL);
                    INSERT INTO patients VALUES ('pat-000000000001', 'Existing Patient', 0);
                    PRAGMA user_version = 1;
                    """;
                await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            var database = new ClinicalDatabase(Options.Create(new OpenWardOptions { DataDirectory = directory.FullName }));
            await database.PrepareAsync(TestContext.Current.CancellationToken);
            var protector = new FieldProtector(database, Options.Create(new OpenWardOptions { DataDirectory = directory.FullName }), TimeProvider.System);
            await protector.PrepareAsync(TestContext.Current.CancellationToken);
            var registry = new PatientRegistry(database, protector, TimeProvider.System);

            var added = await registry.AddAsync("New Patient", "MRN-1", null, TestContext.Current.CancellationToken);
            var duplicate = await registry.AddAsync("Another Patient", "MRN-1", null, TestContext.Current.CancellationToken);

            Assert.Equal(ProblemKind.None, added.Problem);
            Assert.Equal(ProblemKind.Conflict, duplicate.Problem);
            var patients = await registry.ListAsync(TestContext.Current.CancellationToken);
            Assert.Equal(["Existing Patient", "New Patient"], patients.Select(p => p.Name));
            Assert.Equal([null, "MRN-1"], patients.Select(p => p.Mrn));
            Assert.Equal("New Patient", (await registry.FindByIdentifierAsync("MRN-1", TestContext.Current.CancellationToken))?.Name);

            // The name written in clear before encryption existed is sealed at the first start.
            await using var raw = new SqliteConnection($"Data Source={file};Pooling=False");
            await raw.OpenAsync(TestContext.Current.CancellationToken);
            await using var stored = raw.CreateCommand();
            stored.CommandText = "SELECT display_name FROM patients WHERE id = 'pat-000000000001';";
            Assert.StartsWith("enc1:", (string)(await stored.ExecuteScalarAsync(TestContext.Current.CancellationToken))!, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DatabaseOfSchema2_IsUpgraded_SealingRecordNumbersThatStayFindable()
    {
        var directory = Directory.CreateTempSubdirectory("openward-schema-");
        try
        {
            var file = Path.Combine(directory.FullName, ClinicalDatabase.FileName);
            await using (var old = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await old.OpenAsync(TestContext.Current.CancellationToken);
                await using var create = old.CreateCommand();
                create.CommandText = """
                    CREATE TABLE patients (id TEXT PRIMARY KEY, display_name TEXT NOT NULL, created_at INTEGER NOT NULL, mrn TEXT NULL);
                    CREATE TABLE devices (id TEXT PRIMARY KEY, model TEXT NOT NULL, serial TEXT NOT NULL, secret_hash TEXT NOT NULL,
                        created_at INTEGER NOT NULL, revoked_at INTEGER NULL, last_seen INTEGER NULL);
                    INSERT INTO patients VALUES ('pat-000000000002', 'Upgraded Patient', 0, 'MRN-OLD-7');
                    PRAGMA user_version = 2;
                    """;
                await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            var options = Options.Create(new OpenWardOptions { DataDirectory = directory.FullName });
            var database = new ClinicalDatabase(options);
            await database.PrepareAsync(TestContext.Current.CancellationToken);
            var protector = new FieldProtector(database, options, TimeProvider.System);
            await protector.PrepareAsync(TestContext.Current.CancellationToken);
            var registry = new PatientRegistry(database, protector, TimeProvider.System);

            var found = await registry.FindByIdentifierAsync("MRN-OLD-7", TestContext.Current.CancellationToken);
            Assert.Equal(("pat-000000000002", "Upgraded Patient"), (found?.Id, found?.Name));
            await using var raw = new SqliteConnection($"Data Source={file};Pooling=False");
            await raw.OpenAsync(TestContext.Current.CancellationToken);
            await using var stored = raw.CreateCommand();
            stored.CommandText = "SELECT mrn, (SELECT count(*) FROM pragma_table_info('devices') WHERE name = 'certificate_sha256') FROM patients;";
            await using var reader = await stored.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
            Assert.StartsWith("enc1:", reader.GetString(0), StringComparison.Ordinal);
            Assert.Equal(1, reader.GetInt64(1));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
