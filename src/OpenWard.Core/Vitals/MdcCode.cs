namespace OpenWard.Core.Vitals;

/// <summary>An IEEE 11073-10101 nomenclature term: its reference id and its numeric code (partition × 2^16 + term).</summary>
public sealed record MdcCode(string ReferenceId, int Code)
{
    /// <summary>The code in the "partition::term" notation used by IHE PCD, e.g. 2::18402.</summary>
    public string PartitionNotation => FormattableString.Invariant($"{Code >> 16}::{Code & 0xFFFF}");
}
