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
}
