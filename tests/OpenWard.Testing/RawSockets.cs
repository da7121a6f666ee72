using System.Net;
using System.Net.Sockets;

namespace OpenWard.Testing;

/// <summary>Plain TCP connections to the server's listeners, for the protocols' edges that real clients never reach.</summary>
public static class RawSockets
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A connection to a loopback port from a chosen loopback address (loopback has a whole /8).</summary>
    public static async Task<TcpClient> ConnectAsync(int port, IPAddress? from = null)
    {
        var client = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        return client;
    }

    /// <summary>
    /// Reads until the server closes the connection (end of stream or reset), discarding what it
    /// sends; false if it is still open when <paramref name="within"/> has passed.
    /// </summary>
    public static async Task<bool> ClosedByServerAsync(NetworkStream stream, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
