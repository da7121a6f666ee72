using System.Net;
using System.Net.Sockets;

namespace OpenWard.Testing;

/// <summary>
/// Loopback ports that were free a moment ago, distinct from each other. They are drawn below
/// Linux's ephemeral range (32768+) so that the outgoing connections of parallel tests cannot take
/// them between the check and the server's bind.
/// </summary>
public static class FreePorts
{
    private const int First = 15_000;
    private const int Last = 32_000;

    public static int[] Take(int count)
    {
        var ports = new List<int>();
        while (ports.Count < count)
        {
            var candidate = Random.Shared.Next(First, Last);
            if (!ports.Contains(candidate) && IsFree(candidate))
            {
                ports.Add(candidate);
            }
        }

        return [.. ports];
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
