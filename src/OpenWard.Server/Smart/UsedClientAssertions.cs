using OpenWard.Server.Storage;

namespace OpenWard.Server.Smart;

/// <summary>
/// The client assertions already used, by client and <c>jti</c>, kept until each one's expiry (after
/// which the assertion is refused as expired anyway, so forgetting it lets nothing through again).
/// </summary>
public sealed class UsedClientAssertions(ClinicalDatabase database, TimeProvider clock)
{
    /// <summary>Records the assertion as used; false when it was used before (a replay).</summary>
    public Task<bool> TryUseAsync(string clientId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var forget = connection.CreateCommand();
            forget.CommandText = "DELETE FROM used_client_assertions WHERE expires_at < @now;";
            forget.AddParameter("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
            await forget.ExecuteNonQueryAsync(cancellationToken);

            await using var use = connection.CreateCommand();
            use.CommandText = """
                INSERT INTO used_client_assertions (client_id, jti, expires_at) VALUES (@client, @jti, @expires)
                ON CONFLICT (client_id, jti) DO NOTHING;
                """;
            use.AddParameter("@client", clientId);
            use.AddParameter("@jti", jti);
            use.AddParameter("@expires", expiresAt.ToUnixTimeMilliseconds());
            return await use.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
}
