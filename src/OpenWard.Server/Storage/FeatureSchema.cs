namespace OpenWard.Server.Storage;

/// <summary>
/// A feature's tables in the SQLite store: its migrations, numbered from 1 (the first creates the
/// tables as they were when migrations became per feature), and the steps that bring databases of
/// the earlier whole-database numbering up to that point. Each feature registers its own with
/// <see cref="SchemaRegistration.AddFeatureSchema"/>; <see cref="SchemaMigrator"/> runs them all.
/// </summary>
public sealed record FeatureSchema(string Feature, IReadOnlyList<SchemaMigration> Migrations)
{
    /// <summary>Upgrade steps from whole-database schemas before 9, if the feature's tables changed then.</summary>
    public IReadOnlyList<LegacyUpgrade> LegacyUpgrades { get; init; } = [];
}
