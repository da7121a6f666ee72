using System.Collections.Concurrent;

namespace OpenWard.Server.People;

/// <summary>Whether a person's sessions of one generation still stand: the generation and whether the account is disabled.</summary>
public readonly record struct SessionStanding(long Generation, bool Disabled);

/// <summary>
/// The <see cref="SessionStanding"/> of people who made requests lately, kept in memory so that
/// checking every request's token does not read the database. Ending sessions or disabling an
/// account on this server forgets the person's entry at once (<see cref="Forget"/>); an entry is
/// read again after <see cref="MaxAge"/> at the latest, which bounds how long a change made by
/// another server goes unseen.
/// </summary>
internal sealed class SessionStandings(TimeProvider clock)
{
    /// <summary>How long an entry is trusted before it is read again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (SessionStanding Standing, DateTimeOffset ReadAt)> entries = new(StringComparer.Ordinal);

    // Counts changes, so that a read that started before a change never stores what it read.
    private long changes;

    /// <summary>The person's standing, from memory or through <paramref name="read"/>; null for an unknown account.</summary>
    public async ValueTask<SessionStanding?> GetAsync(string userId, Func<Task<SessionStanding?>> read)
    {
        var now = clock.GetUtcNow();
        if (entries.TryGetValue(userId, out var entry) && now - entry.ReadAt < MaxAge)
        {
            return entry.Standing;
        }

        var before = Interlocked.Read(ref changes);
        var standing = await read();
        if (standing is { } known && Interlocked.Read(ref changes) == before)
        {
            entries[userId] = (known, now);
        }

        return standing;
    }

    /// <summary>Forgets the person's entry; call after the change is written.</summary>
    public void Forget(string userId)
    {
        Interlocked.Increment(ref changes);
        entries.TryRemove(userId, out _);
    }
}
