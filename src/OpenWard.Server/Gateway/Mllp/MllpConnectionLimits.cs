using System.Net;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Gateway.Mllp;

/// <summary>
/// What one sender may hold of the MLLP listeners: a number of open connections per network
/// address, and time limits on each connection (see <see cref="MllpOptions"/>).
/// </summary>
public sealed class MllpConnectionLimits(IOptions<OpenWardOptions> options)
{
    private readonly MllpOptions settings = options.Value.Mllp;

    private readonly Dictionary<IPAddress, int> openByAddress = [];
    private readonly Lock gate = new();

    /// <summary>How long a connection may go without starting a frame.</summary>
    public TimeSpan IdleTimeout { get; } = TimeSpan.FromSeconds(options.Value.Mllp.IdleTimeoutSeconds);

    /// <summary>How long a started frame may take to end.</summary>
    public TimeSpan FrameTimeout { get; } = TimeSpan.FromSeconds(options.Value.Mllp.FrameTimeoutSeconds);

    /// <summary>
    /// Admits a connection from <paramref name="remote"/>, or returns null when its address already
    /// holds as many as it may. Dispose the admission when the connection ends.
    /// </summary>
    public IDisposable? TryAdmit(EndPoint? remote)
    {
        var address = remote is IPEndPoint ip ? Normalise(ip.Address) : IPAddress.None;
        lock (gate)
        {
            var open = openByAddress.GetValueOrDefault(address);
            if (open >= settings.MaxConnectionsPerAddress)
            {
                return null;
            }

            openByAddress[address] = open + 1;
        }

        return new Admission(this, address);
    }

    private void Release(IPAddress address)
    {
        lock (gate)
        {
            var open = openByAddress[address] - 1;
            if (open == 0)
            {
                openByAddress.Remove(address);
            }
            else
            {
                openByAddress[address] = open;
            }
        }
    }

    /// <summary>
    /// The sender an address stands for. A dual-stack listener sees IPv4 senders as ::ffff:a.b.c.d,
    /// the same sender as a.b.c.d. An IPv6 host is given a whole /64 and may pick any address in it,
    /// so IPv6 addresses are counted by their /64.
    /// </summary>
    public static IPAddress Normalise(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    private sealed class Admission(MllpConnectionLimits limits, IPAddress address) : IDisposable
    {
        private bool released;

        public void Dispose()
        {
            if (!released)
            {
                released = true;
                limits.Release(address);
            }
        }
    }
}
