using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Server.Identity;

/// <summary>
/// One of the keys that sign and encrypt tokens, as the store keeps it: what it is for, where it stands
/// in its life, since when, and its private bytes (an RSA key as PKCS#8; the encryption key's 32 bytes).
/// </summary>
/// <param name="Id">A signing key's <c>kid</c> (from its public half, as tokens name it); the encryption key's own id.</param>
/// <param name="Purpose"><see cref="ForSigning"/> or <see cref="ForEncryption"/>.</param>
/// <param name="State"><see cref="Next"/>, <see cref="Current"/> or <see cref="Retired"/>.</param>
/// <param name="Material">The private key.</param>
/// <param name="Since">When it entered its state.</param>
public sealed record TokenKey(string Id, string Purpose, string State, byte[] Material, DateTimeOffset Since)
{
    /// <summary>A key that signs tokens.</summary>
    public const string ForSigning = "signing";

    /// <summary>The key that encrypts tokens.</summary>
    public const string ForEncryption = "encryption";

    /// <summary>Published (every node trusts it) but not yet signing: the key the next rotation makes current.</summary>
    public const string Next = "next";

    /// <summary>Signing (or encrypting) tokens now.</summary>
    public const string Current = "current";

    /// <summary>No longer signing, still trusted for <see cref="TokenKeyPlan.RetiredKeysKept"/>.</summary>
    public const string Retired = "retired";

    /// <summary>A signing key from its PKCS#8 bytes.</summary>
    public static TokenKey Signing(byte[] pkcs8, string state, DateTimeOffset since)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return new(Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16], ForSigning, state, pkcs8, since);
    }

    /// <summary>A new 2048-bit RSA signing key (making one takes a moment: do it outside a write).</summary>
    public static TokenKey NewSigning(string state, DateTimeOffset since)
    {
        using var rsa = RSA.Create(2048);
        return Signing(rsa.ExportPkcs8PrivateKey(), state, since);
    }

    /// <summary>An encryption key from its 32 bytes.</summary>
    public static TokenKey Encryption(byte[] key, DateTimeOffset since) =>
        new("enc-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), ForEncryption, Current, key, since);

    /// <summary>A new 256-bit encryption key.</summary>
    public static TokenKey NewEncryption(DateTimeOffset since) => Encryption(RandomNumberGenerator.GetBytes(32), since);

    /// <summary>The key as OpenIddict signs and checks signatures with it.</summary>
    public RsaSecurityKey ToSigningKey()
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Material, out _);
        return new RsaSecurityKey(rsa) { KeyId = Id };
    }

    /// <summary>The key as OpenIddict encrypts and decrypts tokens with it.</summary>
    public SymmetricSecurityKey ToEncryptionKey() => new(Material);
}
