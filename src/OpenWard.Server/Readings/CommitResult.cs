namespace OpenWard.Server.Readings;

/// <summary>
/// What one commit request did: for each reading, whether it was stored, and for one that was not,
/// whether it conflicts with the reading already stored for its device, vital sign and time (the stored
/// value(s) in words) or was a duplicate of it (null).
/// </summary>
public sealed record CommitResult(IReadOnlyList<bool> Stored, IReadOnlyList<string?> Conflicts)
{
    /// <summary>How many readings were new and stored.</summary>
    public int StoredCount => Stored.Count(s => s);

    /// <summary>How many readings were already in the store with the same value(s).</summary>
    public int DuplicateCount => Stored.Count - StoredCount - ConflictCount;

    /// <summary>How many readings differ from the one already stored for the same device, vital sign and time.</summary>
    public int ConflictCount => Conflicts.Count(c => c is not null);
}
