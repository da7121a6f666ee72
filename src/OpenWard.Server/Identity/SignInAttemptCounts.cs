using System.Globalization;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Identity;

/// <summary>
/// Counts attempts at the sign-in form and the token endpoint per network address in the store, for
/// every node of a cluster at once (<see cref="SignInLimitsSchema"/>): each attempt is one statement that
/// adds it to the address's window and answers with the count, so that attempts spread over the nodes
/// are refused at the same count as on one node. A window opens at an address's first attempt and lasts
/// <see cref="Window"/>. A round trip per attempt is nothing beside what the attempt costs (a slow
/// hash of the password or client secret, and a refused sign-in's one-second pace).
/// </summary>
public sealed class SignInAttemptCounts(ClinicalDatabase database, TimeProvider clock)
{
    /// <summary>How long an address's window of attempts lasts.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private long lastSwept;

    /// <summary>
    /// Counts an attempt for <paramref name="purpose"/> from <paramref name="address"/>: the attempts in
    /// the address's window so far, this one included, and when the window ends.
    /// </summary>
    public async Task<(long Attempts, DateTimeOffset WindowEnds)> CountAsync(string purpose, string address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var sweep = now.ToUnixTimeMilliseconds() - Interlocked.Read(ref lastSwept) > Window.TotalMilliseconds;
        if (sweep)
        {
            Interlocked.Exchange(ref lastSwept, now.ToUnixTimeMilliseconds());
        }

        return await database.WriteAsync(async connection =>
        {
            if (sweep)
            {
                // Windows that ended count no more; any node may clear them.
                await using var delete = connection.CreateCommand();
                delete.CommandText = "DELETE FROM sign_in_attempts WHERE window_start <= @ended;";
                delete.AddParameter("@ended", (now - Window).ToUnixTimeMilliseconds());
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var upsert = connection.CreateCommand();
            upsert.CommandText = """
                INSERT INTO sign_in_attempts (purpose, address, window_start, attempts) VALUES (@purpose, @address, @now, 1)
                ON CONFLICT (purpose, address) DO UPDATE SET
                    window_start = CASE WHEN sign_in_attempts.window_start <= @ended THEN @now ELSE sign_in_attempts.window_start END,
                    attempts = CASE WHEN sign_in_attempts.window_start <= @ended THEN 1 ELSE sign_in_attempts.attempts + 1 END
                RETURNING window_start, attempts;
                """;
            upsert.AddParameter("@purpose", purpose);
            upsert.AddParameter("@address", address);
            upsert.AddParameter("@now", now.ToUnixTimeMilliseconds());
            upsert.AddParameter("@ended", (now - Window).ToUnixTimeMilliseconds());
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var windowStart = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
            return (Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), windowStart + Window);
        }, cancellationToken);
    }
}
