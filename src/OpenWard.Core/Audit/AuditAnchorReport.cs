namespace OpenWard.Core.Audit;

/// <summary>What checking the audit trail against its anchors found.</summary>
public sealed record AuditAnchorReport
{
    /// <summary>How many anchors the file holds.</summary>
    public required int Anchors { get; init; }

    /// <summary>The last anchor with a good signature, if any.</summary>
    public AuditAnchor? Last { get; init; }

    /// <summary>Each problem found, in words: deleted or rewritten records, forged, removed or reordered anchors.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>What the check can and cannot vouch for, given where the last anchor stands.</summary>
    public required string Guarantee { get; init; }
}
