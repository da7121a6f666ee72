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

    /// <summary>
    /// How long a group commit of readings gathers, from its first reading's arrival, before it is written: a
    /// moment's wait that lets devices sending one reading at a time share a transaction. On PostgreSQL, where
    /// each transaction costs the database several round trips and a write-ahead log flush, 5 ms unless set; on
    /// SQLite none unless set (its one writer's commits already gather what arrives while the last one is written).
    /// No reading waits longer than this for its group, and a group of 32 readings or more is written at once, so
    /// under load none waits at all.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan? GroupCommitWindow { get; set; }

    /// <summary>The group commit window in effect: as set, or the engine's default.</summary>
    public TimeSpan EffectiveGroupCommitWindow => GroupCommitWindow ?? (IsPostgreSql ? TimeSpan.FromMilliseconds(5) : TimeSpan.Zero);

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
