using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Server.Identity;

/// <summary>The token keys a node works with, as OpenIddict takes them (see <see cref="TokenKeyStore"/>).</summary>
/// <param name="Signing">The key that signs tokens now.</param>
/// <param name="Trusted">
/// Every signing key whose signature is accepted: the current one, the next one (published before any
/// node signs with it, so that every node knows it first) and the retired ones of the last two days.
/// </param>
/// <param name="Encryption">The key that encrypts tokens.</param>
/// <param name="Version">The keys' ids and states: equal versions hold the same keys in the same roles.</param>
public sealed record TokenKeySet(RsaSecurityKey Signing, IReadOnlyList<RsaSecurityKey> Trusted, SymmetricSecurityKey Encryption, string Version)
{
    /// <summary>The set the store's keys make: each needs one current signing key, one next and one current encryption key.</summary>
    public static TokenKeySet From(IReadOnlyList<TokenKey> keys)
    {
        var signing = keys.Where(k => k.Purpose == TokenKey.ForSigning).OrderBy(Rank).ThenByDescending(k => k.Since).ToList();
        var current = signing.Single(k => k.State == TokenKey.Current).ToSigningKey();
        var trusted = signing.Select(k => k.State == TokenKey.Current ? current : k.ToSigningKey()).ToList();
        var encryption = keys.Single(k => k.Purpose == TokenKey.ForEncryption && k.State == TokenKey.Current);
        return new(current, trusted, encryption.ToEncryptionKey(), VersionOf(keys));
    }

    /// <summary>The version <see cref="From"/> gives these keys, without opening them.</summary>
    public static string VersionOf(IEnumerable<TokenKey> keys) =>
        string.Join(",", keys.OrderBy(k => k.Id, StringComparer.Ordinal).Select(k => $"{k.Id}:{k.State}"));

    private static int Rank(TokenKey key) => key.State switch
    {
        TokenKey.Current => 0,
        TokenKey.Next => 1,
        _ => 2,
    };
}
