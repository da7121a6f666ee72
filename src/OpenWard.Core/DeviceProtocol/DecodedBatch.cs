namespace OpenWard.Core.DeviceProtocol;

/// <summary>The result of decoding one device payload: its elements, or why the payload as a whole is unusable.</summary>
public sealed record DecodedBatch
{
    /// <summary>Each element of the payload's array, decoded or with its problem.</summary>
    public IReadOnlyList<SubmittedItem> Items { get; init; } = [];

    /// <summary>Why the whole payload was refused (not JSON, not an array, too large); null otherwise.</summary>
    public string? Problem { get; init; }

    /// <summary>A batch refused as a whole.</summary>
    public static DecodedBatch Refused(string problem) => new() { Problem = problem };
}
