using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Care teams as far as the patients' table needs them: rows its foreign key can name, with nothing else
/// (the care teams' own store belongs to the people feature and is held to both engines by its own tests).
/// </summary>
public static class CareTeamRecords
{
    private const string Table = "CREATE TABLE care_teams (id TEXT PRIMARY KEY);";

    /// <summary>A care teams table of ids only, on both engines.</summary>
    public static FeatureSchema Schema { get; } = new("care-teams", [SchemaMigration.Sql(1, "care teams' ids", Table)])
    {
        PostgreSql = [new(1, "care teams' ids", Table)],
    };

    /// <summary>Adds a care team with this id.</summary>
    public static Task AddAsync(ClinicalDatabase database, string id) =>
        database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO care_teams (id) VALUES (@id);";
            insert.AddParameter("@id", id);
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);
}
