namespace OpenWard.Server.Readings;

/// <summary>
/// A payload or reading that OpenWard refused, kept with the reason so that nothing a device sent
/// disappears without a trace.
/// </summary>
public sealed record DeadLetter
{
    /// <summary>Store id (0 until stored).</summary>
    public long Id { get; init; }

    /// <summary>When it arrived.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>How it arrived: <c>mqtt</c> or <c>http</c>.</summary>
    public required string Channel { get; init; }

    /// <summary>The authenticated device that sent it.</summary>
    public required string DeviceId { get; init; }

    /// <summary>Its position in the batch, or null when the whole payload was refused.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>Why it was refused.</summary>
    public required string Reason { get; init; }

    /// <summary>The refused JSON (or the start of the payload), cut to 2 KiB; empty for a publish on a refused topic, whose payload is not kept.</summary>
    public required string Raw { get; init; }

    /// <summary>The topic of another device (or outside every device's) that it was published on, when that is why it was refused.</summary>
    public string? RefusedTopic { get; init; }
}
