using System.Buffers;

namespace OpenWard.Core.DeviceProtocol;

/// <summary>Stands in for a decoder that cannot be had (a device model without mapping templates): refuses every payload with one reason.</summary>
/// <param name="reason">Why the payload cannot be decoded.</param>
public sealed class RefusingDecoder(string reason) : IPayloadDecoder<DecodedBatch>
{
    /// <inheritdoc />
    public DecodedBatch Decode(ReadOnlySequence<byte> payload, DateTimeOffset received) =>
        DecodedBatch.Refused(PayloadRefusal.Of(reason, payload));
}
