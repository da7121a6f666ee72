using System.Security.Cryptography;

namespace OpenWard.Server.People;

/// <summary>
/// Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second steps, six digits,
/// the step before and after accepted for clock drift. Authenticator apps read the secret from an
/// <c>otpauth://</c> URI.
/// </summary>
public static class Totp
{
    private const int StepSeconds = 30;
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>A new 160-bit secret, base32 as authenticator apps expect it.</summary>
    public static string NewSecret() => Base32(RandomNumberGenerator.GetBytes(20));

    /// <summary>The URI an authenticator app scans (usually as a QR code).</summary>
    public static string EnrolmentUri(string secret, string userName) =>
        $"otpauth://totp/OpenWard:{Uri.EscapeDataString(userName)}?secret={secret}&issuer=OpenWard&algorithm=SHA1&digits=6&period={StepSeconds}";

    /// <summary>The time step a moment falls in.</summary>
    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code for a step.</summary>
    public static string Code(string secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(FromBase32(secret), counter);
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The step whose code matches (now, or one step either side), or null; constant-time comparison.</summary>
    public static long? MatchingStep(string secret, string? code, DateTimeOffset now)
    {
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var current = StepAt(now);
        for (var step = current - 1; step <= current + 1; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Code(secret, step)), System.Text.Encoding.ASCII.GetBytes(code)))
            {
                return step;
            }
        }

        return null;
    }

    private static string Base32(byte[] bytes)
    {
        var text = new System.Text.StringBuilder();
        for (var bit = 0; bit < bytes.Length * 8; bit += 5)
        {
            var value = 0;
            for (var i = 0; i < 5; i++)
            {
                var index = bit + i;
                value = (value << 1) | (index < bytes.Length * 8 ? (bytes[index / 8] >> (7 - (index % 8))) & 1 : 0);
            }

            text.Append(Base32Alphabet[value]);
        }

        return text.ToString();
    }

    private static byte[] FromBase32(string text)
    {
        var bytes = new byte[text.Length * 5 / 8];
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var value = Base32Alphabet.IndexOf(text[bit / 5]);
            if (((value >> (4 - (bit % 5))) & 1) == 1)
            {
                bytes[bit / 8] |= (byte)(1 << (7 - (bit % 8)));
            }
        }

        return bytes;
    }
}
