using System.Net.Sockets;
using System.Text;

namespace OpenWard.Testing;

/// <summary>MLLP framing for a plain socket: a message between 0x0B and 0x1C 0x0D.</summary>
public static class MllpFrames
{
    /// <summary>The message in its frame.</summary>
    public static byte[] Frame(string message) => [0x0B, .. Encoding.UTF8.GetBytes(message), 0x1C, 0x0D];

    /// <summary>Sends a message and reads the one frame that answers it (its ACK); null if the server closed the connection instead.</summary>
    public static async Task<string?> ExchangeAsync(NetworkStream stream, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await stream.WriteAsync(Frame(message), timeout.Token);
            return await ReadFrameAsync(stream, timeout.Token);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads one frame; null if the connection ends first.</summary>
    public static async Task<string?> ReadFrameAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) > 0)
        {
            received.Add(one[0]);
            if (received.Count >= 2 && received[^2] == 0x1C && received[^1] == 0x0D)
            {
                var start = received.IndexOf(0x0B);
                return Encoding.UTF8.GetString([.. received[(start + 1)..^2]]);
            }
        }

        return null;
    }
}
