using Microsoft.EntityFrameworkCore;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Identity;

/// <summary>
/// The identity feature's tables in the clinical store. On both engines: the keys that sign and
/// encrypt tokens (<see cref="TokenKeyStore"/>), so that every node sharing the store issues and
/// accepts the same tokens; and ASP.NET Core's data-protection key ring (<see cref="DataProtectionKeyRing"/>),
/// so that a sign-in cookie or anti-forgery token from one node is accepted by every node. On PostgreSQL also OpenIddict's tables, created by the store's
/// migrations like every feature's (so that nodes starting at once create them once): PostgreSQL
/// migration 1 is the script the identity store's model gives, and a new OpenIddict version that
/// changes its model needs a migration here. On SQLite OpenIddict's tables are a file of their own,
/// <c>identity.db</c>, created at start.
/// </summary>
public static class IdentitySchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("identity",
    [
        SchemaMigration.Sql(1, "token signing and encryption keys", """
            CREATE TABLE token_keys (
                id         TEXT PRIMARY KEY,
                purpose    TEXT NOT NULL,
                state      TEXT NOT NULL,
                sealed_key TEXT NOT NULL,
                since      INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX token_keys_one_per_state ON token_keys (purpose, state) WHERE state <> 'retired';
            """),
        SchemaMigration.Sql(2, "the sign-in cookies' data-protection key ring", DataProtectionKeys),
    ])
    {
        PostgreSql =
        [
            new(1, "OpenIddict's applications, authorizations, scopes and tokens", CreateScript()),
            new(2, "token signing and encryption keys", """
                CREATE TABLE token_keys (
                    id         TEXT PRIMARY KEY,
                    purpose    TEXT NOT NULL,
                    state      TEXT NOT NULL,
                    sealed_key TEXT NOT NULL,
                    since      BIGINT NOT NULL
                );
                CREATE UNIQUE INDEX token_keys_one_per_state ON token_keys (purpose, state) WHERE state <> 'retired';
                """),
            new(3, "the sign-in cookies' data-protection key ring", DataProtectionKeys),
        ],
    };

    // One row per element of ASP.NET Core's key ring (a key, or a revocation), the whole element sealed
    // (DataProtectionKeyRing); the same statement on both engines.
    private const string DataProtectionKeys = """
        CREATE TABLE data_protection_keys (
            id         TEXT PRIMARY KEY,
            sealed_xml TEXT NOT NULL
        );
        """;

    private static string CreateScript()
    {
        // The script comes from the model alone: no connection is opened.
        var options = new DbContextOptionsBuilder<IdentityStore>().UseNpgsql("Host=localhost").UseOpenIddict().Options;
        using var model = new IdentityStore(options);
        return model.Database.GenerateCreateScript();
    }
}
