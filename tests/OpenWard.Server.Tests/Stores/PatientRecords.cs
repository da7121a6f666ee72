using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Patients as far as the notes' and the alert settings' tables need them: rows their foreign keys can
/// name, with nothing else (the patients' own store is held to both engines by its own tests).
/// </summary>
public static class PatientRecords
{
    private const string Table = "CREATE TABLE patients (id TEXT PRIMARY KEY);";

    /// <summary>A patients table of ids only, on both engines.</summary>
    public static FeatureSchema Schema { get; } = new("patients", [SchemaMigration.Sql(1, "patients' ids", Table)])
    {
        PostgreSql = [new(1, "patients' ids", Table)],
    };

    /// <summary>Adds a patient with this id.</summary>
    public static Task AddAsync(ClinicalDatabase database, string id) =>
        database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO patients (id) VALUES (@id);";
            insert.AddParameter("@id", id);
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);
}
