using System.Net;
using System.Net.Sockets;

namespace OpenWard.Testing;

/// <summary>
/// A TCP relay on loopback in front of a real server (PostgreSQL), which a test can cut as a network
/// outage would: <see cref="Cut"/> drops every relayed connection and refuses new ones (accepted and
/// closed at once) until <see cref="Restore"/>.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int targetPort;
    private readonly List<TcpClient> relayed = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private volatile bool open;

    /// <summary>Relays to <paramref name="targetPort"/> on loopback; open or cut from the start.</summary>
    public TcpRelay(int targetPort, bool open = true)
    {
        this.targetPort = targetPort;
        this.open = open;
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary>The port to connect to instead of the server's.</summary>
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Drops every relayed connection and refuses new ones.</summary>
    public void Cut()
    {
        open = false;
        lock (relayed)
        {
            foreach (var client in relayed)
            {
                client.Dispose();
            }

            relayed.Clear();
        }
    }

    /// <summary>Relays new connections again.</summary>
    public void Restore() => open = true;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        Cut();
        await accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var incoming = await listener.AcceptTcpClientAsync(stopping.Token);
            if (!open)
            {
                incoming.Dispose();
                continue;
            }

            var outgoing = new TcpClient();
            try
            {
                await outgoing.ConnectAsync(IPAddress.Loopback, targetPort, stopping.Token);
            }
            catch (SocketException)
            {
                incoming.Dispose();
                outgoing.Dispose();
                continue;
            }

            lock (relayed)
            {
                relayed.Add(incoming);
                relayed.Add(outgoing);
            }

            _ = PumpAsync(incoming, outgoing);
            _ = PumpAsync(outgoing, incoming);
        }
    }

    // Copies one direction until either side closes, then closes both.
    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
