namespace OpenWard.Server.Identity;

/// <summary>
/// What the store's token keys need, worked out from what it holds (no I/O): a first start makes them
/// (or takes them from an older OpenWard's files), a rotation retires the current signing key, makes
/// the next one current and publishes a new next one, and retired keys are deleted two days on.
/// </summary>
public sealed class TokenKeyPlan
{
    /// <summary>How long a retired signing key still validates: longer than any token lives.</summary>
    public static readonly TimeSpan RetiredKeysKept = TimeSpan.FromDays(2);

    private readonly List<TokenKey> keys;

    private TokenKeyPlan(IReadOnlyList<TokenKey> stored) => keys = [.. stored];

    /// <summary>The keys once the plan is carried out.</summary>
    public IReadOnlyList<TokenKey> Keys => keys;

    /// <summary>Keys to add to the store, with their states.</summary>
    public List<TokenKey> Added { get; } = [];

    /// <summary>Stored keys whose state changes, in the order to change them (a key leaves its state before another takes it).</summary>
    public List<TokenKey> Changed { get; } = [];

    /// <summary>Stored keys to delete.</summary>
    public List<TokenKey> Deleted { get; } = [];

    /// <summary>Whether the store already holds what it needs.</summary>
    public bool IsEmpty => Added.Count == 0 && Changed.Count == 0 && Deleted.Count == 0;

    /// <summary>
    /// Plans the changes to <paramref name="stored"/> at <paramref name="now"/>. An empty store takes
    /// <paramref name="fromFiles"/> (an older OpenWard's keys) as they are. The current signing key is
    /// rotated once it has signed for <paramref name="rotateAfter"/>, or at once when
    /// <paramref name="rotate"/>. New signing keys come from <paramref name="newSigningKey"/>.
    /// </summary>
    public static TokenKeyPlan For(
        IReadOnlyList<TokenKey> stored, IReadOnlyList<TokenKey> fromFiles, DateTimeOffset now, TimeSpan rotateAfter, bool rotate, Func<TokenKey> newSigningKey)
    {
        var plan = new TokenKeyPlan(stored);
        if (stored.Count == 0)
        {
            plan.Added.AddRange(fromFiles);
            plan.keys.AddRange(fromFiles);
        }

        if (plan.Find(TokenKey.ForEncryption, TokenKey.Current) is null)
        {
            plan.Add(TokenKey.NewEncryption(now));
        }

        if (plan.Find(TokenKey.ForSigning, TokenKey.Current) is null)
        {
            plan.Add(newSigningKey() with { State = TokenKey.Current, Since = now });
        }

        if (plan.Find(TokenKey.ForSigning, TokenKey.Next) is null)
        {
            plan.Add(newSigningKey() with { State = TokenKey.Next, Since = now });
        }

        var current = plan.Find(TokenKey.ForSigning, TokenKey.Current)!;
        if (rotate || current.Since + rotateAfter <= now)
        {
            plan.Change(current with { State = TokenKey.Retired, Since = now });
            plan.Change(plan.Find(TokenKey.ForSigning, TokenKey.Next)! with { State = TokenKey.Current, Since = now });
            plan.Add(newSigningKey() with { State = TokenKey.Next, Since = now });
        }

        foreach (var expired in plan.keys.Where(k => k.State == TokenKey.Retired && k.Since + RetiredKeysKept <= now).ToList())
        {
            plan.keys.Remove(expired);
            if (!plan.Added.Remove(expired))
            {
                plan.Deleted.Add(expired);
            }
        }

        return plan;
    }

    private TokenKey? Find(string purpose, string state) => keys.FirstOrDefault(k => k.Purpose == purpose && k.State == state);

    private void Add(TokenKey key)
    {
        keys.Add(key);
        Added.Add(key);
    }

    // A key added by this plan is added in its new state; a stored one is changed in the store.
    private void Change(TokenKey changed)
    {
        var index = keys.FindIndex(k => k.Id == changed.Id);
        var added = Added.FindIndex(k => k.Id == changed.Id);
        keys[index] = changed;
        if (added >= 0)
        {
            Added[added] = changed;
        }
        else
        {
            Changed.Add(changed);
        }
    }
}
