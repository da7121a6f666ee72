using System.Globalization;
using System.Security.Cryptography;

namespace OpenWard.Server.Identity;

/// <summary>
/// The token keys an older OpenWard kept in its data directory, read once to move them into the
/// store: <c>token-signing-key.pem</c> (signing since the file was written),
/// <c>token-signing-key.retired-{yyyyMMddHHmmss}.pem</c> (retired then) and <c>token-encryption-key.bin</c>.
/// </summary>
public static class TokenKeyFiles
{
    /// <summary>The current signing key's file.</summary>
    public const string SigningKeyFile = "token-signing-key.pem";

    /// <summary>The encryption key's file.</summary>
    public const string EncryptionKeyFile = "token-encryption-key.bin";

    private const string RetiredPrefix = "token-signing-key.retired-";

    /// <summary>The keys in <paramref name="dataPath"/>'s files, and the files; none when there are none.</summary>
    public static (IReadOnlyList<TokenKey> Keys, IReadOnlyList<string> Files) Read(string dataPath, DateTimeOffset now)
    {
        var keys = new List<TokenKey>();
        var files = new List<string>();
        var current = Path.Combine(dataPath, SigningKeyFile);
        if (File.Exists(current))
        {
            keys.Add(TokenKey.Signing(Pkcs8(current), TokenKey.Current, new DateTimeOffset(File.GetLastWriteTimeUtc(current), TimeSpan.Zero)));
            files.Add(current);
        }

        foreach (var retired in Directory.GetFiles(dataPath, RetiredPrefix + "*.pem").Order(StringComparer.Ordinal))
        {
            // The retirement time is in the name: a rename keeps the file's own (old) write time.
            var stamp = Path.GetFileNameWithoutExtension(retired)[RetiredPrefix.Length..];
            var retiredAt = DateTimeOffset.TryParseExact(stamp, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : now;
            keys.Add(TokenKey.Signing(Pkcs8(retired), TokenKey.Retired, retiredAt));
            files.Add(retired);
        }

        var encryption = Path.Combine(dataPath, EncryptionKeyFile);
        if (File.Exists(encryption))
        {
            keys.Add(TokenKey.Encryption(File.ReadAllBytes(encryption), now));
            files.Add(encryption);
        }

        return (keys, files);
    }

    /// <summary>Deletes the files once the store holds the keys: they are never read again.</summary>
    public static void Delete(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            File.Delete(file);
        }
    }

    private static byte[] Pkcs8(string pemFile)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(pemFile));
        return rsa.ExportPkcs8PrivateKey();
    }
}
