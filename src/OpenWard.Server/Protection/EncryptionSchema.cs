using OpenWard.Server.Storage;

namespace OpenWard.Server.Protection;

/// <summary>The data keys for the sealed columns, wrapped by the key-encryption key (see <see cref="FieldProtector"/>).</summary>
public static class EncryptionSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("encryption",
    [
        SchemaMigration.Sql(1, "encryption keys as at schema 9", """
            CREATE TABLE IF NOT EXISTS encryption_keys (
                id         TEXT PRIMARY KEY,
                purpose    TEXT NOT NULL,
                wrapped    TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                retired_at INTEGER NULL
            );
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "encryption keys", """
                CREATE TABLE encryption_keys (
                    id         TEXT PRIMARY KEY,
                    purpose    TEXT NOT NULL,
                    wrapped    TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    retired_at BIGINT NULL
                );
                """),
        ],
    };
}
