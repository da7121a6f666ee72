using System.Net.Sockets;

namespace OpenWard.Testing;

/// <summary>Whether something listens on a loopback port: for waiting until a process a test started is up.</summary>
public static class LoopbackPort
{
    /// <summary>Whether a TCP connection to 127.0.0.1:<paramref name="port"/> is accepted now.</summary>
    public static async Task<bool> AnswersAsync(int port)
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
