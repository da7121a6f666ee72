using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenWard.Core.Audit;

/// <summary>
/// The audit trail's hash chain: each record's hash covers its own fields and the previous record's
/// hash, so an edited, removed, inserted or reordered record breaks the chain from that point on.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first record.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The hash of a record's fields chained to <paramref name="previousHash"/>.</summary>
    public static string HashOf(long sequence, DateTimeOffset at, string actor, string action, string? patientId, string source, string outcome, string previousHash)
    {
        // Length-prefixed fields, so no choice of field values can make two records hash alike.
        var text = new StringBuilder();
        foreach (var field in new[]
        {
            sequence.ToString(CultureInfo.InvariantCulture), at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            actor, action, patientId ?? "", source, outcome, previousHash,
        })
        {
            text.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// Checks a trail in stored order; returns null when it is intact, else the first bad record's
    /// sequence number (or where it should have been) and what is wrong with it.
    /// </summary>
    public static (long Sequence, string Problem)? Verify(IEnumerable<AuditRecord> records)
    {
        var previous = Genesis;
        long expected = 1;
        foreach (var record in records)
        {
            if (record.Sequence != expected)
            {
                return (expected, $"record {expected} is missing or out of order (found {record.Sequence})");
            }

            if (record.PreviousHash != previous)
            {
                return (record.Sequence, $"record {record.Sequence} does not follow record {record.Sequence - 1} (removed, inserted or reordered)");
            }

            var hash = HashOf(record.Sequence, record.At, record.Actor, record.Action, record.PatientId, record.Source, record.Outcome, record.PreviousHash);
            if (record.Hash != hash)
            {
                return (record.Sequence, $"record {record.Sequence} was altered after it was written");
            }

            previous = record.Hash;
            expected++;
        }

        return null;
    }
}
