using OpenWard.Server.Storage;

namespace OpenWard.Server.Smart;

/// <summary>
/// The SMART Backend Services feature's table: the ids (<c>jti</c>) of the client assertions already
/// used, each kept until the assertion's own expiry, so that an assertion is accepted once — on every
/// node sharing the store.
/// </summary>
public static class SmartSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("smart",
    [
        SchemaMigration.Sql(1, "the ids of used client assertions", """
            CREATE TABLE used_client_assertions (
                client_id  TEXT NOT NULL,
                jti        TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (client_id, jti)
            );
            CREATE INDEX used_client_assertions_expiry ON used_client_assertions (expires_at);
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "the ids of used client assertions", """
                CREATE TABLE used_client_assertions (
                    client_id  TEXT NOT NULL,
                    jti        TEXT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    PRIMARY KEY (client_id, jti)
                );
                CREATE INDEX used_client_assertions_expiry ON used_client_assertions (expires_at);
                """),
        ],
    };
}
