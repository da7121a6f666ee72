using System.Security.Cryptography;
using OpenWard.Server.Protection;

namespace OpenWard.Server.Devices;

/// <summary>
/// Device secrets: 256 random bits shown once at registration, stored only as a salted
/// PBKDF2-HMAC-SHA256 hash (<see cref="SaltedHash.DeviceSecret"/>).
/// </summary>
public static class DeviceSecret
{
    /// <summary>A new random secret, URL-safe base64.</summary>
    public static string Generate() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The storable hash of <paramref name="secret"/> under a fresh salt.</summary>
    public static string Hash(string secret) => SaltedHash.DeviceSecret.Hash(secret);

    /// <summary>Whether <paramref name="secret"/> matches <paramref name="storedHash"/> (constant-time comparison).</summary>
    public static bool Verify(string secret, string storedHash) => SaltedHash.DeviceSecret.Verify(secret, storedHash);

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
