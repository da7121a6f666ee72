using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Identity;

/// <summary>
/// The keys that sign and encrypt OpenWard's access tokens, generated on first start and kept in
/// the data directory (owner-only), so tokens stay valid across restarts. The signing key is
/// rotated at start once it is older than <see cref="People.SignInOptions.SigningKeyDays"/> (or at
/// once with <c>openward keys rotate</c>, which retires it): the retired key is renamed
/// <c>token-signing-key.retired-{yyyyMMddHHmmss}.pem</c> and still validates tokens for two days,
/// longer than any token lives, then is deleted.
/// </summary>
public static class TokenKeys
{
    /// <summary>The current signing key's file name.</summary>
    public const string SigningKeyFile = "token-signing-key.pem";

    private const string RetiredPrefix = "token-signing-key.retired-";
    private static readonly TimeSpan RetiredKeysKept = TimeSpan.FromDays(2);

    /// <summary>The signing keys: the current one first (it signs), then retired ones still trusted.</summary>
    public static IReadOnlyList<RsaSecurityKey> LoadSigningKeys(string dataPath, int rotateAfterDays, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var path = Path.Combine(dataPath, SigningKeyFile);
        if (File.Exists(path) && File.GetLastWriteTimeUtc(path) < now.UtcDateTime.AddDays(-rotateAfterDays))
        {
            File.Move(path, Path.Combine(dataPath, $"{RetiredPrefix}{now.UtcDateTime:yyyyMMddHHmmss}.pem"));
        }

        var keys = new List<RsaSecurityKey> { Load(path, createIfMissing: true) };
        foreach (var retired in Directory.GetFiles(dataPath, RetiredPrefix + "*.pem").Order())
        {
            // The retirement time is in the name: a rename keeps the file's own (old) write time.
            var stamp = Path.GetFileNameWithoutExtension(retired)[RetiredPrefix.Length..];
            if (DateTime.TryParseExact(stamp, "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var retiredAt)
                && retiredAt < now.UtcDateTime - RetiredKeysKept)
            {
                File.Delete(retired);
            }
            else
            {
                keys.Add(Load(retired, createIfMissing: false));
            }
        }

        return keys;
    }

    private static RsaSecurityKey Load(string path, bool createIfMissing)
    {
        var rsa = RSA.Create();
        if (File.Exists(path) || !createIfMissing)
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048;
            DataDirectory.WriteOwnerOnly(path, System.Text.Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));
        }

        return new RsaSecurityKey(rsa) { KeyId = Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16] };
    }

    /// <summary>The 256-bit token encryption key, created if missing.</summary>
    public static SymmetricSecurityKey LoadEncryptionKey(string dataPath)
    {
        var path = Path.Combine(dataPath, "token-encryption-key.bin");
        if (!File.Exists(path))
        {
            DataDirectory.WriteOwnerOnly(path, RandomNumberGenerator.GetBytes(32));
        }

        return new SymmetricSecurityKey(File.ReadAllBytes(path));
    }
}
