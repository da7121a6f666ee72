namespace OpenWard.Server.Storage;

/// <summary>What one commit request did: for each reading, whether it was stored or was a duplicate.</summary>
public sealed record CommitResult(IReadOnlyList<bool> Stored)
{
    /// <summary>How many readings were new and stored.</summary>
    public int StoredCount => Stored.Count(s => s);

    /// <summary>How many readings were already in the store.</summary>
    public int DuplicateCount => Stored.Count - StoredCount;
}
