using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OpenWard.Core.Audit;

/// <summary>
/// A signed statement of the audit trail's head at a moment — "record <see cref="Sequence"/> had
/// hash <see cref="Hash"/> at <see cref="At"/>". Anchors are appended to a file outside the
/// database, each chained to the one before (<see cref="Previous"/>) and signed (ECDSA P-256,
/// SHA-256) with a key the database does not hold, so that once an anchor covers a record, deleting
/// it (or every record after it) or rewriting it and recomputing the hash chain is detected.
/// </summary>
public sealed record AuditAnchor
{
    /// <summary>The anchor file's name in the data directory, unless configured elsewhere.</summary>
    public const string FileName = "audit-anchors.jsonl";

    /// <summary>The public half of the anchor key, written to the data directory for <c>openward audit verify</c>.</summary>
    public const string PublicKeyFileName = "audit-anchor-key.pub.pem";

    private const string Format = "openward-audit-anchor/1";

    /// <summary>Position in the anchor file, from 1, without gaps.</summary>
    public required long Number { get; init; }

    /// <summary>The trail's last record when the anchor was signed (0 for an empty trail).</summary>
    public required long Sequence { get; init; }

    /// <summary>That record's hash (<see cref="AuditChain.Genesis"/> for an empty trail).</summary>
    public required string Hash { get; init; }

    /// <summary>When the anchor was signed.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The previous anchor's <see cref="Digest"/> (<see cref="AuditChain.Genesis"/> for the first).</summary>
    public required string Previous { get; init; }

    /// <summary>Which key signed it: <see cref="KeyIdOf"/> of the key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The signature over everything above, base64 (IEEE P1363).</summary>
    public required string Signature { get; init; }

    /// <summary>What the next anchor names as its <see cref="Previous"/>: SHA-256 over this one's signed text and signature, hex.</summary>
    public string Digest => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SignedText(Number, Sequence, Hash, At, Previous, KeyId) + "\n" + Signature)));

    /// <summary>Signs the trail's head, following <paramref name="previous"/> (null for the first anchor).</summary>
    public static AuditAnchor Sign(AuditAnchor? previous, long sequence, string hash, DateTimeOffset at, ECDsa key)
    {
        var number = (previous?.Number ?? 0) + 1;
        var link = previous?.Digest ?? AuditChain.Genesis;
        var keyId = KeyIdOf(key);
        var signature = key.SignData(Encoding.UTF8.GetBytes(SignedText(number, sequence, hash, at, link, keyId)), HashAlgorithmName.SHA256);
        return new AuditAnchor
        {
            Number = number, Sequence = sequence, Hash = hash, At = at, Previous = link, KeyId = keyId,
            Signature = Convert.ToBase64String(signature),
        };
    }

    /// <summary>Whether <paramref name="key"/> (its public half is enough) signed this anchor as it stands.</summary>
    public bool IsSignedBy(ECDsa key)
    {
        if (KeyId != KeyIdOf(key) || !IsHex(Hash, 64) || !IsHex(Previous, 64))
        {
            return false;
        }

        var signature = new byte[Signature.Length];
        return Convert.TryFromBase64String(Signature, signature, out var length)
            && key.VerifyData(Encoding.UTF8.GetBytes(SignedText(Number, Sequence, Hash, At, Previous, KeyId)), signature.AsSpan(0, length), HashAlgorithmName.SHA256);
    }

    /// <summary>A short name of a key: the first 16 hex digits of the SHA-256 of its public key.</summary>
    public static string KeyIdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    /// <summary>The anchor as one line of the anchor file (JSON, no line breaks).</summary>
    public string ToLine() => JsonSerializer.Serialize(new
    {
        anchor = Number,
        seq = Sequence,
        hash = Hash,
        at = At.ToUnixTimeMilliseconds(),
        previous = Previous,
        key = KeyId,
        signature = Signature,
    });

    /// <summary>An anchor read from one line of the anchor file; null when the line is not one.</summary>
    public static AuditAnchor? Parse(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return new AuditAnchor
            {
                Number = root.GetProperty("anchor").GetInt64(),
                Sequence = root.GetProperty("seq").GetInt64(),
                Hash = root.GetProperty("hash").GetString() ?? "",
                At = DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("at").GetInt64()),
                Previous = root.GetProperty("previous").GetString() ?? "",
                KeyId = root.GetProperty("key").GetString() ?? "",
                Signature = root.GetProperty("signature").GetString() ?? "",
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static bool IsHex(string text, int length) => text.Length == length && text.All(char.IsAsciiHexDigitLower);

    // Every field, in a fixed order, one a line: no field can contain a line break (numbers, hex, base64).
    private static string SignedText(long number, long sequence, string hash, DateTimeOffset at, string previous, string keyId) =>
        string.Join('\n', Format, number.ToString(CultureInfo.InvariantCulture), sequence.ToString(CultureInfo.InvariantCulture), hash,
            at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), previous, keyId);
}
