namespace OpenWard.Server.Storage;

/// <summary>
/// A feature's tables: its SQLite migrations, numbered from 1 (the first creates the tables as they
/// were when migrations became per feature), the steps that bring databases of the earlier
/// whole-database numbering up to that point, and its PostgreSQL migrations, numbered the same way
/// on their own. Each feature registers its own with <see cref="SchemaRegistration.AddFeatureSchema"/>;
/// <see cref="SchemaMigrator"/> and <see cref="PostgreSqlSchemaMigrator"/> run them all.
/// </summary>
public sealed record FeatureSchema(string Feature, IReadOnlyList<SchemaMigration> Migrations)
{
    /// <summary>Upgrade steps from whole-database schemas before 9, if the feature's tables changed then.</summary>
    public IReadOnlyList<LegacyUpgrade> LegacyUpgrades { get; init; } = [];

    /// <summary>The feature's tables in PostgreSQL, step by step.</summary>
    public IReadOnlyList<PostgreSqlMigration> PostgreSql { get; init; } = [];
}
