using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenWard.Server.Security;

/// <summary>
/// A slow, salted PBKDF2 hash stored as <c>scheme$iterations$salt$hash</c>, so that the cost can be
/// raised later without invalidating what is stored: each stored hash names how it was made.
/// </summary>
public sealed record SaltedHash(string Scheme, HashAlgorithmName Algorithm, int Iterations, int HashBytes)
{
    /// <summary>Device secrets: 256 random bits, so a fast-enough hash suffices (PBKDF2-HMAC-SHA256, 100,000 rounds).</summary>
    public static readonly SaltedHash DeviceSecret = new("pbkdf2-sha256", HashAlgorithmName.SHA256, 100_000, 32);

    /// <summary>Passwords people choose: PBKDF2-HMAC-SHA512 with 210,000 rounds (OWASP's 2023 recommendation).</summary>
    public static readonly SaltedHash Password = new("pbkdf2-sha512", HashAlgorithmName.SHA512, 210_000, 64);

    private const int SaltBytes = 16;

    /// <summary>The storable hash of <paramref name="secret"/> under a fresh salt.</summary>
    public string Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, Algorithm, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="secret"/> matches <paramref name="storedHash"/> made by this scheme (constant-time comparison).</summary>
    public bool Verify(string secret, string storedHash)
    {
        var parts = storedHash.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, Algorithm, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
