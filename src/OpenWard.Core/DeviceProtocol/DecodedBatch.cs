namespace OpenWard.Core.DeviceProtocol;

/// <summary>
/// The result of decoding one payload: its items, each decoded or with its problem, and notes on what
/// it held but does not keep; or why the payload as a whole is unusable.
/// </summary>
public record DecodedBatch
{
    /// <summary>Each item of the payload, decoded or with its problem.</summary>
    public IReadOnlyList<SubmittedItem> Items { get; init; } = [];

    /// <summary>What the payload held but is not stored, and why (e.g. a value the device marked NaN).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Why the whole payload was refused, with what of it is kept; null otherwise.</summary>
    public PayloadRefusal? Refusal { get; init; }

    /// <summary>Why the whole payload was refused (not JSON, not an array, too large); null otherwise.</summary>
    public string? Problem => Refusal?.Reason;

    /// <summary>A batch refused as a whole.</summary>
    public static DecodedBatch Refused(PayloadRefusal refusal) => new() { Refusal = refusal };

    /// <summary>
    /// The item's text as received, for the dead-letter store when it is refused: its
    /// <see cref="SubmittedItem.RawJson"/>, unless the decoder left it to be read back from the payload.
    /// </summary>
    public virtual string RawTextOf(SubmittedItem item) => item.RawJson ?? "";
}
