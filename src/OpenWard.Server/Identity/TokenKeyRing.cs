using Microsoft.Extensions.Primitives;

namespace OpenWard.Server.Identity;

/// <summary>
/// The token keys this node works with: read from the store at start, and again whenever they change
/// (a rotation here, or on another node, seen at the next refresh). A change tells OpenIddict's
/// options to be built again (<see cref="TokenKeyChanges{TOptions}"/>), with the new keys
/// (<see cref="TokenKeyConfiguration"/>).
/// </summary>
public sealed class TokenKeyRing
{
    private readonly Lock changing = new();
    private TokenKeySet? keys;
    private CancellationTokenSource changed = new();

    /// <summary>The keys in use.</summary>
    public TokenKeySet Keys => Volatile.Read(ref keys)
        ?? throw new InvalidOperationException("The token keys are read from the store at start (PrepareIdentityAsync), before OpenIddict first needs them.");

    /// <summary>Fires when the keys change.</summary>
    public IChangeToken Changes => new CancellationChangeToken(Volatile.Read(ref changed).Token);

    /// <summary>Uses the keys the store holds, if they differ from those in use.</summary>
    public void Use(IReadOnlyList<TokenKey> stored)
    {
        lock (changing)
        {
            if (keys?.Version == TokenKeySet.VersionOf(stored))
            {
                return;
            }

            Volatile.Write(ref keys, TokenKeySet.From(stored));
            Interlocked.Exchange(ref changed, new CancellationTokenSource()).Cancel();
        }
    }
}
