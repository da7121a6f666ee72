using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Storage;

/// <summary>
/// Which database holds the clinical store (<c>OpenWard:Store:…</c>): the embedded SQLite file in the
/// data directory (the default, nothing to set up), or a PostgreSQL database that several OpenWard
/// nodes can share.
/// </summary>
public sealed class StoreOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:Store";

    /// <summary>The embedded store: <c>openward.db</c> in the data directory.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL database named by <see cref="ConnectionString"/>.</summary>
    public const string PostgreSql = "postgresql";

    /// <summary><c>sqlite</c> (the default) or <c>postgresql</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>For PostgreSQL: an Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// On PostgreSQL: how many group commits of readings may be in flight at once, each writing on a
    /// connection of its own from the node's write pool (<see cref="PostgreSqlConnections.ClinicalPoolSize"/>
    /// connections unless the connection string says otherwise). While one group commits, the next is
    /// already being written. SQLite has one writer whatever this says.
    /// </summary>
    [Range(1, 4)]
    public int ReadingWriters { get; set; } = 2;

    /// <summary>Whether the store is on PostgreSQL.</summary>
    public bool IsPostgreSql => string.Equals(Provider, PostgreSql, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsPostgreSql && !string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"must be \"{Sqlite}\" or \"{PostgreSql}\", not \"{Provider}\"", [nameof(Provider)]);
        }

        if (IsPostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "is required when the provider is postgresql (an Npgsql connection string: Host=…;Database=…;Username=…;Password=…)", [nameof(ConnectionString)]);
        }

        if (IsPostgreSql && WritePoolSize() is { } pool && ReadingWriters >= pool)
        {
            yield return new ValidationResult(
                $"must be fewer than the write pool's Maximum Pool Size ({pool}): each reading writer holds one of its connections, and alerts, the audit trail and every other write need one too",
                [nameof(ReadingWriters)]);
        }
    }

    // The most connections a node opens for writes, as the connection string and OpenWard's default give it; null if it cannot be read.
    private int? WritePoolSize()
    {
        try
        {
            return PostgreSqlConnections.For(ConnectionString!, "OpenWard", PostgreSqlConnections.ClinicalPoolSize).MaxPoolSize;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
