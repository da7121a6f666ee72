using System.Buffers;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Text;

namespace OpenWard.Core.Bluetooth;

/// <summary>
/// One raw Bluetooth LE characteristic value forwarded by a gateway (<see cref="GattDecoder"/>) through
/// the decoder seam, for the characteristic the gateway names (e.g. <c>2a35</c>). The value is kept in
/// hex for the dead-letter store, with what it claimed to be.
/// </summary>
/// <param name="characteristic">The characteristic as the gateway named it (the end of its topic or path).</param>
public sealed class GattPayloadDecoder(string characteristic) : IPayloadDecoder<DecodedBatch>
{
    /// <inheritdoc />
    public DecodedBatch Decode(ReadOnlySequence<byte> payload, DateTimeOffset received)
    {
        var value = payload.ToArray();
        var raw = $"gatt {Quote.Shorten(characteristic)}: {Convert.ToHexString(value.AsSpan(0, Math.Min(value.Length, DeviceJsonFormat.MaxRawFragmentLength / 2)))}";
        if (!GattCharacteristic.TryParse(characteristic, out var uuid))
        {
            return DecodedBatch.Refused(new PayloadRefusal($"\"{Quote.Shorten(characteristic)}\" is not a characteristic UUID", raw));
        }

        var decoded = GattDecoder.Decode(uuid, value, received);
        if (decoded.Problem is not null)
        {
            return DecodedBatch.Refused(new PayloadRefusal(decoded.Problem, raw));
        }

        return new DecodedBatch
        {
            Items = [.. decoded.Readings.Select((submission, index) => new SubmittedItem { Index = index, RawJson = raw, Submission = submission })],
            Notes = decoded.Notes,
        };
    }
}
