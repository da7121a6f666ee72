using System.Buffers;

namespace OpenWard.Core.DeviceProtocol;

/// <summary>
/// A device JSON payload's readings, holding the payload: the text of a reading refused after
/// decoding is read back from it (<see cref="DeviceJsonFormat.RawElement"/>), so a valid reading
/// costs no copy of its text.
/// </summary>
/// <param name="Payload">The payload the items were decoded from.</param>
public sealed record DeviceJsonBatch(ReadOnlySequence<byte> Payload) : DecodedBatch
{
    /// <inheritdoc />
    public override string RawTextOf(SubmittedItem item) => item.RawJson ?? DeviceJsonFormat.RawElement(Payload, item.Index);
}
