using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OpenWard.Server.Storage;

/// <summary>
/// Creates and upgrades the store's tables at start: a database of the whole-database numbering
/// (before schema 9) first takes the features' legacy steps, then every feature's migrations not yet
/// recorded in <c>schema_migrations</c> run in order. A database that records a migration this
/// version does not know was written by a newer OpenWard, and is refused rather than misread.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>
    /// The last whole-database schema number. <c>PRAGMA user_version</c> stays at it: what changes
    /// since is recorded per feature.
    /// </summary>
    public const int LastWholeDatabaseSchema = 9;

    /// <summary>Brings the database on <paramref name="connection"/> up to every feature's newest migration.</summary>
    public static async Task MigrateAsync(SqliteConnection connection, IReadOnlyList<FeatureSchema> features, TimeProvider clock, CancellationToken cancellationToken)
    {
        var wholeDatabaseSchema = await UserVersionAsync(connection, cancellationToken);
        if (wholeDatabaseSchema > LastWholeDatabaseSchema)
        {
            throw new InvalidOperationException(
                $"The database was written by a newer OpenWard (schema {wholeDatabaseSchema}); this version understands schema {LastWholeDatabaseSchema}.");
        }

        await SqliteTables.ExecuteAsync(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS schema_migrations (
                feature    TEXT NOT NULL,
                number     INTEGER NOT NULL,
                applied_at INTEGER NOT NULL,
                PRIMARY KEY (feature, number)
            );
            """, cancellationToken);
        var applied = await AppliedAsync(connection, cancellationToken);
        RefuseNewer(applied, features, feature => feature.Migrations.Select(m => m.Number));

        if (wholeDatabaseSchema > 0)
        {
            foreach (var step in features.SelectMany(f => f.LegacyUpgrades).Where(s => s.ToSchema > wholeDatabaseSchema).OrderBy(s => s.ToSchema))
            {
                await step.ApplyAsync(connection, cancellationToken);
            }
        }

        foreach (var feature in features)
        {
            var last = applied.GetValueOrDefault(feature.Feature);
            foreach (var migration in feature.Migrations.Where(m => m.Number > last).OrderBy(m => m.Number))
            {
                await ApplyAsync(connection, feature.Feature, migration, clock, cancellationToken);
            }
        }

        await SqliteTables.ExecuteAsync(connection, $"PRAGMA user_version = {LastWholeDatabaseSchema};", cancellationToken);
    }

    private static async Task ApplyAsync(SqliteConnection connection, string feature, SchemaMigration migration, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await migration.ApplyAsync(connection, cancellationToken);
        await using var record = connection.CreateCommand();
        record.CommandText = "INSERT INTO schema_migrations (feature, number, applied_at) VALUES ($feature, $number, $at);";
        record.Parameters.AddWithValue("$feature", feature);
        record.Parameters.AddWithValue("$number", migration.Number);
        record.Parameters.AddWithValue("$at", clock.GetUtcNow().ToUnixTimeMilliseconds());
        await record.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Refuses a database that records a feature migration beyond what <paramref name="numbers"/> gives
    /// for that feature (one a newer OpenWard wrote), naming it.
    /// </summary>
    internal static void RefuseNewer(Dictionary<string, int> applied, IReadOnlyList<FeatureSchema> features, Func<FeatureSchema, IEnumerable<int>> numbers)
    {
        foreach (var (feature, last) in applied)
        {
            var known = features.FirstOrDefault(f => f.Feature == feature) is { } schema ? numbers(schema).DefaultIfEmpty(0).Max() : 0;
            if (last > known)
            {
                throw new InvalidOperationException(
                    $"The database was written by a newer OpenWard ({feature} migration {last}); this version knows {feature} migrations up to {known}.");
            }
        }
    }

    private static async Task<int> UserVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>The last migration <c>schema_migrations</c> records for each feature.</summary>
    internal static async Task<Dictionary<string, int>> AppliedAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT feature, max(number) FROM schema_migrations GROUP BY feature;";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetInt32(1);
        }

        return applied;
    }
}
