using System.Globalization;
using System.Security.Cryptography;

namespace OpenWard.Core.Audit;

/// <summary>
/// Checks the audit trail against its signed anchors (<see cref="AuditAnchor"/>): every anchor must
/// carry a good signature and follow the one before, and every record an anchor covered must still be
/// there with the hash the anchor names. The hash chain (<see cref="AuditChain"/>) then vouches for
/// the records before it; records written after the last anchor have only the chain.
/// </summary>
public static class AuditAnchorCheck
{
    /// <summary>
    /// Checks <paramref name="records"/> (in stored order) against the anchor file's lines, with the
    /// anchor key's public half (null when it could not be found).
    /// </summary>
    public static AuditAnchorReport Check(IReadOnlyList<AuditRecord> records, IReadOnlyList<string> anchorLines, ECDsa? key)
    {
        var problems = new List<string>();
        var hashes = new Dictionary<long, string>();
        foreach (var record in records)
        {
            hashes.TryAdd(record.Sequence, record.Hash);
        }

        var head = records.Count == 0 ? 0 : records.Max(r => r.Sequence);
        AuditAnchor? last = null;
        var anchors = 0;
        for (var i = 0; i < anchorLines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(anchorLines[i]))
            {
                continue;
            }

            anchors++;
            if (AuditAnchor.Parse(anchorLines[i]) is not { } anchor)
            {
                problems.Add($"line {i + 1} of the anchor file is not an anchor (damaged or forged)");
                continue;
            }

            if (key is null)
            {
                continue;
            }

            if (!anchor.IsSignedBy(key))
            {
                problems.Add($"anchor {anchor.Number} (record {anchor.Sequence}, {Time(anchor.At)}) has a bad signature: it was forged or altered, and is not trusted");
                continue;
            }

            if (anchor.Number != (last?.Number ?? 0) + 1 || anchor.Previous != (last?.Digest ?? AuditChain.Genesis))
            {
                problems.Add($"anchor {anchor.Number} does not follow anchor {last?.Number ?? 0}: anchors were removed, inserted or reordered");
            }

            if (AgainstTrail(anchor, head, hashes.GetValueOrDefault(anchor.Sequence)) is { } problem)
            {
                problems.Add(problem);
            }

            last = anchor;
        }

        if (anchors > 0 && key is null)
        {
            problems.Add("the anchor key's public half was not found, so no anchor can be checked (give it with --anchor-key)");
        }

        if (anchors == 0 && records.Count > 0)
        {
            problems.Add($"there are no anchors although the trail has {records.Count} records: the anchor file was removed or emptied, or is not the one this server writes");
        }

        return new AuditAnchorReport { Anchors = anchors, Last = last, Problems = problems, Guarantee = Guarantee(last, head) };
    }

    /// <summary>
    /// What is wrong with the trail as one anchor saw it: null when the record it covered is still
    /// there unchanged, else whether records were deleted or rewritten.
    /// </summary>
    public static string? AgainstTrail(AuditAnchor anchor, long headSequence, string? hashAtAnchor)
    {
        if (anchor.Sequence == 0)
        {
            return null;
        }

        if (anchor.Sequence > headSequence)
        {
            return headSequence == 0
                ? $"the trail is empty, but anchor {anchor.Number} at {Time(anchor.At)} covered records 1–{anchor.Sequence}: every record was deleted"
                : $"the trail ends at record {headSequence}, but anchor {anchor.Number} at {Time(anchor.At)} covered records up to {anchor.Sequence}: records {headSequence + 1}–{anchor.Sequence} were deleted";
        }

        if (hashAtAnchor is null)
        {
            return $"record {anchor.Sequence}, covered by anchor {anchor.Number} at {Time(anchor.At)}, is missing: records were deleted";
        }

        return hashAtAnchor == anchor.Hash
            ? null
            : $"record {anchor.Sequence} is not the one anchor {anchor.Number} signed at {Time(anchor.At)}: records up to {anchor.Sequence} were rewritten";
    }

    private static string Guarantee(AuditAnchor? last, long head) => last is null
        ? "no trusted anchor: only the hash chain protects the trail; it shows a record edited on its own, but not the newest records deleted, nor records rewritten with the chain recomputed"
        : $"records 1–{last.Sequence} are covered by the anchor of {Time(last.At)}: any deletion or change to them is detected; "
          + (head > last.Sequence
              ? $"records {last.Sequence + 1}–{head}, written after it, are covered only by the hash chain, which someone able to rewrite the file can recompute"
              : "no record was written after it");

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
