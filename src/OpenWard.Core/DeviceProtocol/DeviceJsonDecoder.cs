using System.Buffers;

namespace OpenWard.Core.DeviceProtocol;

/// <summary>OpenWard device JSON format v1 (<see cref="DeviceJsonFormat"/>) through the decoder seam.</summary>
public sealed class DeviceJsonDecoder : IPayloadDecoder<DecodedBatch>
{
    /// <summary>The decoder (it holds nothing).</summary>
    public static DeviceJsonDecoder Instance { get; } = new();

    /// <inheritdoc />
    public DecodedBatch Decode(ReadOnlySequence<byte> payload, DateTimeOffset received) => DeviceJsonFormat.Decode(payload);
}
