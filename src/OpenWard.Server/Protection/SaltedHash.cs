using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenWard.Server.Protection;

/// <summary>
/// A slow, salted PBKDF2 hash stored as <c>scheme$iterations$salt$hash</c>, so that the cost can be
/// raised later without invalidating what is stored: each stored hash names how it was made.
/// </summary>
public sealed record SaltedHash(string Scheme, HashAlgorithmName Algorithm, int Iterations, int HashBytes)
{
    /// <summary>
    /// Device secrets: PBKDF2-HMAC-SHA256 with 1,000 rounds. A slow hash protects secrets people
    /// choose; these are 256 random bits OpenWard generates, which no number of guesses finds, so
    /// the rounds buy nothing — while every device pays them at each CONNECT. At 100,000 rounds
    /// (about 0.1 s of CPU each) 5,000 devices reconnecting after a restart kept the server busy for
    /// minutes, delaying their alerts; at 1,000 it is about 5 s. Hashes stored with more rounds
    /// still verify (the count is part of each hash) until the secret is rotated.
    /// </summary>
    public static readonly SaltedHash DeviceSecret = new("pbkdf2-sha256", HashAlgorithmName.SHA256, 1_000, 32);

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
