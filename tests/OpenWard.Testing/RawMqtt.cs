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
}
