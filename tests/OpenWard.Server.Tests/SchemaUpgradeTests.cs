using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Patients;
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
            var registry = new PatientRegistry(database, TimeProvider.System);

            var added = await registry.AddAsync("New Patient", "MRN-1", null, TestContext.Current.CancellationToken);
            var duplicate = await registry.AddAsync("Another Patient", "MRN-1", null, TestContext.Current.CancellationToken);

            Assert.Equal(ProblemKind.None, added.Problem);
            Assert.Equal(ProblemKind.Conflict, duplicate.Problem);
            var patients = await registry.ListAsync(TestContext.Current.CancellationToken);
            Assert.Equal(["Existing Patient", "New Patient"], patients.Select(p => p.Name));
            Assert.Equal([null, "MRN-1"], patients.Select(p => p.Mrn));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
