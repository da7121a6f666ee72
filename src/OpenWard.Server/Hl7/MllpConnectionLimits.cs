using System.Net;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Hl7;

/// <summary>
/// What one sender may hold of the MLLP listeners: a number of open connections per network
/// address, and time limits on each connection (see <see cref="MllpLimitsOptions"/>).
/// </summary>
public sealed class MllpConnectionLimits(IOptions<MllpLimitsOptions> options)
{
    private readonly Dictionary<IPAddress, int> openByAddress = [];
    private readonly Lock gate = new();

    /// <summary>How long a connection may go without starting a frame.</summary>
    public TimeSpan IdleTimeout { get; } = TimeSpan.FromSeconds(options.Value.IdleTimeoutSeconds);

    /// <summary>How long a started frame may take to end.</summary>
    public TimeSpan FrameTimeout { get; } = TimeSpan.FromSeconds(options.Value.FrameTimeoutSeconds);

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
            if (open >= options.Value.MaxConnectionsPerAddress)
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

    // A dual-stack listener sees IPv4 senders as ::ffff:a.b.c.d; they are the same sender as a.b.c.d.
    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

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
