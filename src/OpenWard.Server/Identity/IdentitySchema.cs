using Microsoft.EntityFrameworkCore;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Identity;

/// <summary>
/// OpenIddict's tables in a PostgreSQL store, created by the store's migrations like every feature's
/// (so that nodes starting at once create them once). Migration 1 is the script the identity store's
/// model gives for PostgreSQL; a new OpenIddict version that changes its model needs a migration here.
/// On SQLite the identity store is its own file, <c>identity.db</c>, created at start.
/// </summary>
public static class IdentitySchema
{
    /// <summary>The feature's migrations: PostgreSQL only.</summary>
    public static FeatureSchema Definition { get; } = new("identity", [])
    {
        PostgreSql = [new(1, "OpenIddict's applications, authorizations, scopes and tokens", CreateScript())],
    };

    private static string CreateScript()
    {
        // The script comes from the model alone: no connection is opened.
        var options = new DbContextOptionsBuilder<IdentityStore>().UseNpgsql("Host=localhost").UseOpenIddict().Options;
        using var model = new IdentityStore(options);
        return model.Database.GenerateCreateScript();
    }
}
