using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Security;

/// <summary>
/// The keys that sign and encrypt OpenWard's access tokens, generated on first start and kept in
/// the data directory (owner-only), so tokens stay valid across restarts.
/// </summary>
public static class TokenKeys
{
    /// <summary>The RSA signing key, created if missing.</summary>
    public static RsaSecurityKey LoadSigningKey(string dataPath)
    {
        var path = Path.Combine(dataPath, "token-signing-key.pem");
        var rsa = RSA.Create();
        if (File.Exists(path))
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
