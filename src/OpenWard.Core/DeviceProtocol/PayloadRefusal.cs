using System.Buffers;
using System.Text;

namespace OpenWard.Core.DeviceProtocol;

/// <summary>A payload refused as a whole: why, and the text of it the dead-letter store keeps.</summary>
/// <param name="Reason">Why the payload cannot be taken, as the device or sender is told.</param>
/// <param name="Raw">What of the payload is kept with the reason.</param>
public sealed record PayloadRefusal(string Reason, string Raw)
{
    /// <summary>A refusal keeping the payload's first <see cref="DeviceJsonFormat.MaxRawFragmentLength"/> bytes as UTF-8 text.</summary>
    public static PayloadRefusal Of(string reason, ReadOnlySequence<byte> payload)
    {
        var length = (int)Math.Min(payload.Length, DeviceJsonFormat.MaxRawFragmentLength);
        return new PayloadRefusal(reason, Encoding.UTF8.GetString(payload.Slice(0, length)));
    }
}
