using Npgsql;

namespace OpenWard.Server.Storage;

/// <summary>
/// Creates and upgrades every feature's tables in a PostgreSQL database at start: each feature's
/// migrations that <c>schema_migrations</c> does not record yet, in order, in one transaction. The
/// transaction first takes an advisory lock that every OpenWard node takes, so nodes starting at
/// once migrate one after the other: the first does the work and the others find it done. A
/// database that records a migration this version does not know (a newer OpenWard's) is refused.
/// </summary>
public static class PostgreSqlSchemaMigrator
{
    // Any fixed number, the same in every OpenWard node: "OpenWard" in ASCII.
    private const long MigrationLock = 0x4F70656E57617264;

    /// <summary>Brings the database's tables up to <paramref name="features"/>' last PostgreSQL migrations.</summary>
    public static async Task MigrateAsync(NpgsqlDataSource database, IReadOnlyList<FeatureSchema> features, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@lock);", cancellationToken, ("@lock", MigrationLock));
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                feature    TEXT NOT NULL,
                number     INTEGER NOT NULL,
                applied_at BIGINT NOT NULL,
                PRIMARY KEY (feature, number)
            );
            """, cancellationToken);
        var applied = await SchemaMigrator.AppliedAsync(connection, cancellationToken);
        SchemaMigrator.RefuseNewer(applied, features, feature => feature.PostgreSql.Select(m => m.Number));

        foreach (var feature in features)
        {
            var last = applied.GetValueOrDefault(feature.Feature);
            foreach (var migration in feature.PostgreSql.Where(m => m.Number > last).OrderBy(m => m.Number))
            {
                await ExecuteAsync(connection, migration.Statements, cancellationToken);
                await ExecuteAsync(connection, "INSERT INTO schema_migrations (feature, number, applied_at) VALUES (@feature, @number, @at);", cancellationToken,
                    ("@feature", feature.Feature), ("@number", migration.Number), ("@at", clock.GetUtcNow().ToUnixTimeMilliseconds()));
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string statements, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = statements;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
