using System.Text;

namespace OpenWard.Testing;

/// <summary>Hand-made MQTT 3.1.1 packets for a plain socket, to send what a real client never would.</summary>
public static class RawMqtt
{
    /// <summary>The largest remaining length MQTT can express (four length bytes): 256 MiB less one byte.</summary>
    public const int LargestRemainingLength = 268_435_455;

    /// <summary>A fixed header: the packet type and flags, then the remaining length (1 to 4 bytes).</summary>
    public static byte[] FixedHeader(byte typeAndFlags, int remainingLength)
    {
        var header = new List<byte> { typeAndFlags };
        do
        {
            var digit = (byte)(remainingLength % 128);
            remainingLength /= 128;
            header.Add(remainingLength > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (remainingLength > 0);
        return [.. header];
    }

    /// <summary>The start of a packet: a fixed header announcing <paramref name="declaredLength"/> and only <paramref name="bodyBytes"/> bytes of its body.</summary>
    public static byte[] Announcing(byte typeAndFlags, int declaredLength, int bodyBytes) =>
        [.. FixedHeader(typeAndFlags, declaredLength), .. new byte[bodyBytes]];

    /// <summary>A CONNECT with a clean session, user name and password.</summary>
    public static byte[] Connect(string clientId, string userName, string password)
    {
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0xC2, 0, 60 };
        foreach (var text in new[] { clientId, userName, password })
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            body.Add((byte)(bytes.Length >> 8));
            body.Add((byte)bytes.Length);
            body.AddRange(bytes);
        }

        return [.. FixedHeader(0x10, body.Count), .. body];
    }

    /// <summary>A QoS 1 PUBLISH.</summary>
    public static byte[] Publish(string topic, ushort packetId, string payload)
    {
        var topicBytes = Encoding.UTF8.GetBytes(topic);
        byte[] body = [(byte)(topicBytes.Length >> 8), (byte)topicBytes.Length, .. topicBytes, (byte)(packetId >> 8), (byte)packetId, .. Encoding.UTF8.GetBytes(payload)];
        return [.. FixedHeader(0x32, body.Length), .. body];
    }

    /// <summary>A SUBSCRIBE to one topic filter at a QoS.</summary>
    public static byte[] Subscribe(ushort packetId, string filter, byte qualityOfService)
    {
        var filterBytes = Encoding.UTF8.GetBytes(filter);
        byte[] body = [(byte)(packetId >> 8), (byte)packetId, (byte)(filterBytes.Length >> 8), (byte)filterBytes.Length, .. filterBytes, qualityOfService];
        return [.. FixedHeader(0x82, body.Length), .. body];
    }

    /// <summary>A PUBACK for a QoS 1 PUBLISH the server sent.</summary>
    public static byte[] PubAck(ushort packetId) => [0x40, 2, (byte)(packetId >> 8), (byte)packetId];

    /// <summary>The next packet the server sends: its type (the fixed header's high four bits), flags and body; fails after 30 s.</summary>
    public static async Task<(int Type, int Flags, byte[] Body)> ReadPacketAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await ReadExactlyAsync(stream, 1, timeout.Token);
        var length = 0;
        var multiplier = 1;
        byte digit;
        do
        {
            digit = (await ReadExactlyAsync(stream, 1, timeout.Token))[0];
            length += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        }
        while ((digit & 0x80) != 0);
        return (first[0] >> 4, first[0] & 0x0F, await ReadExactlyAsync(stream, length, timeout.Token));
    }

    /// <summary>The topic and payload of a PUBLISH packet's body (QoS from its flags), and its packet id when QoS is above 0.</summary>
    public static (string Topic, ushort? PacketId, string Payload) ReadPublish(int flags, byte[] body)
    {
        var topicLength = (body[0] << 8) | body[1];
        var topic = Encoding.UTF8.GetString(body, 2, topicLength);
        var at = 2 + topicLength;
        ushort? packetId = null;
        if (((flags >> 1) & 3) > 0)
        {
            packetId = (ushort)((body[at] << 8) | body[at + 1]);
            at += 2;
        }

        return (topic, packetId, Encoding.UTF8.GetString(body, at, body.Length - at));
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
