using System.Buffers;

namespace OpenWard.Server.Gateway.Mqtt;

/// <summary>
/// Follows the MQTT packets in a connection's bytes as they arrive, reading each fixed header and
/// skipping the body it announces, so that a packet's length is judged before its body is buffered.
/// The first packet (CONNECT, sent before the peer is authenticated) has a smaller limit than the rest.
/// </summary>
internal sealed class MqttFixedHeaderScanner(int maxConnectLength, int maxPacketLength)
{
    private const int MaxLengthBytes = 4;
    private long bodyLeft;
    private bool readingLength;
    private int lengthBytes;
    private int length;
    private bool connectPassed;

    /// <summary>The control packet type (1 = CONNECT, 3 = PUBLISH, …) of the packet being read.</summary>
    public int PacketType { get; private set; }

    /// <summary>The remaining length announced so far by the packet being read (a lower bound until its header is complete).</summary>
    public int AnnouncedLength => length;

    /// <summary>The limit the packet being read is held to.</summary>
    public int Limit => connectPassed ? maxPacketLength : maxConnectLength;

    /// <summary>Reads bytes that arrived after those already scanned; false once a packet announces more than its limit or a malformed length.</summary>
    public bool TryScan(ReadOnlySequence<byte> arrived)
    {
        foreach (var segment in arrived)
        {
            if (!TryScan(segment.Span))
            {
                return false;
            }
        }

        return true;
    }

    private bool TryScan(ReadOnlySpan<byte> bytes)
    {
        var index = 0;
        while (index < bytes.Length)
        {
            if (bodyLeft > 0)
            {
                var skipped = (int)Math.Min(bodyLeft, bytes.Length - index);
                index += skipped;
                bodyLeft -= skipped;
                continue;
            }

            var next = bytes[index++];
            if (!readingLength)
            {
                PacketType = next >> 4;
                readingLength = true;
                lengthBytes = 0;
                length = 0;
                continue;
            }

            // The remaining length: seven bits a byte, least significant first, the top bit saying another byte follows.
            length |= (next & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
            var continues = (next & 0x80) != 0;
            if (length > Limit || (continues && lengthBytes == MaxLengthBytes))
            {
                return false;
            }

            if (!continues)
            {
                readingLength = false;
                bodyLeft = length;
                connectPassed = true;
            }
        }

        return true;
    }
}
