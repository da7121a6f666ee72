using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace OpenWard.Cli.Bench;

/// <summary>
/// One benchmark device's MQTT 5 connection, reduced to what the load needs: CONNECT with the
/// device's credentials, PUBLISH at QoS 0 or 1 with one message in flight, PUBACK, DISCONNECT.
/// It spends a small fraction of a general-purpose client's CPU per message, so that on a machine
/// shared with the broker under test the broker, not the load generator, sets the pace — for
/// Mosquitto and OpenWard alike. Anything unexpected from the broker ends the connection with a
/// <see cref="BenchConnectionException"/> saying what arrived.
/// </summary>
public sealed class BenchConnection : IAsyncDisposable
{
    private const byte Connect = 0x10, ConnAck = 0x20, Publish = 0x30, PubAck = 0x40, Disconnect = 0xE0;
    private readonly Socket socket;
    private readonly byte[] topic;
    private byte[] packet = new byte[1024];
    private readonly byte[] received = new byte[256];
    private int receivedCount;
    private ushort packetId;

    private BenchConnection(Socket socket, string topic)
    {
        this.socket = socket;
        this.topic = Encoding.UTF8.GetBytes(topic);
    }

    /// <summary>Connects and signs in as the device; fails with the broker's reason code if refused.</summary>
    public static async Task<BenchConnection> ConnectAsync(string host, int port, string clientId, string userName, string password, string topic, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new BenchConnection(socket, topic);
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
            await connection.SendConnectAsync(clientId, userName, password, cancellationToken);
            var (type, body) = await connection.ReadPacketAsync(cancellationToken);
            // CONNACK: acknowledge flags, reason code, properties.
            if (type != ConnAck || body.Length < 2)
            {
                throw new BenchConnectionException($"expected CONNACK, got packet type 0x{type:x2}");
            }

            if (body.Span[1] != 0)
            {
                throw new BenchConnectionException($"connection refused with reason code 0x{body.Span[1]:x2}");
            }

            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Publishes one message to the connection's topic. At QoS 1 it completes when the PUBACK
    /// arrives and returns its reason code (0 = accepted); at QoS 0 it returns 0 once sent.
    /// </summary>
    public async Task<byte> PublishAsync(ReadOnlyMemory<byte> payload, bool atLeastOnce, CancellationToken cancellationToken)
    {
        // Variable header: topic, packet id (QoS 1 only), properties length 0; then the payload.
        var remaining = 2 + topic.Length + (atLeastOnce ? 2 : 0) + 1 + payload.Length;
        var length = 1 + VariableLengthSize(remaining) + remaining;
        if (packet.Length < length)
        {
            packet = new byte[length];
        }

        var span = packet.AsSpan();
        span[0] = (byte)(Publish | (atLeastOnce ? 0x02 : 0x00));
        var at = 1 + WriteVariableLength(span[1..], remaining);
        at = WriteString(span, at, topic);
        if (atLeastOnce)
        {
            packetId = (ushort)(packetId == ushort.MaxValue ? 1 : packetId + 1);
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], packetId);
            at += 2;
        }

        span[at++] = 0;
        payload.Span.CopyTo(span[at..]);
        await SendAsync(packet.AsMemory(0, length), cancellationToken);
        if (!atLeastOnce)
        {
            return 0;
        }

        var (type, body) = await ReadPacketAsync(cancellationToken);
        if (type != PubAck || body.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(body.Span) != packetId)
        {
            throw new BenchConnectionException($"expected PUBACK for packet {packetId}, got packet type 0x{type:x2}");
        }

        // MQTT 5: a PUBACK of two bytes means success; otherwise the third is the reason code.
        return body.Length > 2 ? body.Span[2] : (byte)0;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.Connected)
            {
                await socket.SendAsync(new byte[] { Disconnect, 0 }, SocketFlags.None);
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (SocketException)
        {
            // Already gone: nothing to say goodbye to.
        }

        socket.Dispose();
    }

    private Task SendConnectAsync(string clientId, string userName, string password, CancellationToken cancellationToken)
    {
        var id = Encoding.UTF8.GetBytes(clientId);
        var user = Encoding.UTF8.GetBytes(userName);
        var secret = Encoding.UTF8.GetBytes(password);
        // Protocol name, level 5, flags (user name, password, clean start), keep-alive 0 (off), properties length 0.
        ReadOnlySpan<byte> header = [0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 5, 0xC2, 0, 0, 0];
        var remaining = header.Length + 2 + id.Length + 2 + user.Length + 2 + secret.Length;
        var bytes = new byte[1 + VariableLengthSize(remaining) + remaining];
        bytes[0] = Connect;
        var at = 1 + WriteVariableLength(bytes.AsSpan(1), remaining);
        header.CopyTo(bytes.AsSpan(at));
        at += header.Length;
        at = WriteString(bytes, at, id);
        at = WriteString(bytes, at, user);
        WriteString(bytes, at, secret);
        return SendAsync(bytes, cancellationToken).AsTask();
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    // Reads one whole packet (the broker sends only small ones: CONNACK, PUBACK, DISCONNECT).
    private async Task<(byte Type, ReadOnlyMemory<byte> Body)> ReadPacketAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakePacket(out var type, out var body))
            {
                return (type, body);
            }

            if (receivedCount == received.Length)
            {
                throw new BenchConnectionException("the broker sent a packet larger than this benchmark expects");
            }

            var read = await socket.ReceiveAsync(received.AsMemory(receivedCount), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new BenchConnectionException("the broker closed the connection");
            }

            receivedCount += read;
        }
    }

    private bool TryTakePacket(out byte type, out ReadOnlyMemory<byte> body)
    {
        type = 0;
        body = default;
        var remaining = 0;
        var multiplier = 1;
        var at = 1;
        while (true)
        {
            if (at >= receivedCount)
            {
                return false;
            }

            var digit = received[at++];
            remaining += (digit & 0x7F) * multiplier;
            multiplier *= 128;
            if ((digit & 0x80) == 0)
            {
                break;
            }
        }

        if (receivedCount < at + remaining)
        {
            return false;
        }

        type = (byte)(received[0] & 0xF0);
        if (type == Disconnect)
        {
            var reason = remaining > 0 ? received[at] : 0;
            throw new BenchConnectionException($"the broker disconnected with reason code 0x{reason:x2}");
        }

        // The body is copied out so that the receive buffer can be compacted for the next packet.
        body = received.AsSpan(at, remaining).ToArray();
        var consumed = at + remaining;
        received.AsSpan(consumed, receivedCount - consumed).CopyTo(received);
        receivedCount -= consumed;
        return true;
    }

    private static int WriteString(Span<byte> span, int at, ReadOnlySpan<byte> text)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)text.Length);
        text.CopyTo(span[(at + 2)..]);
        return at + 2 + text.Length;
    }

    private static int VariableLengthSize(int value) => value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;

    private static int WriteVariableLength(Span<byte> span, int value)
    {
        var at = 0;
        do
        {
            var digit = (byte)(value % 128);
            value /= 128;
            span[at++] = value > 0 ? (byte)(digit | 0x80) : digit;
        }
        while (value > 0);
        return at;
    }
}
