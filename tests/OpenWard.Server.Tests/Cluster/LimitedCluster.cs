using System.Net;
using System.Net.Sockets;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// Two OpenWard processes in one cluster with small limits, so that a test reaches them in a few
/// attempts: a device id from one address backs off after three failures for an hour, three failures for
/// one device id are reported as guessing, an address may post the sign-in form six times a minute, and
/// three wrong passwords lock an account, and an address may connect or upload thirty times a minute. The ward is set up through node a. Each test speaks from a
/// loopback address of its own (<see cref="From"/>), so that the per-address limits of one test leave
/// the others alone.
/// </summary>
public sealed class LimitedCluster : TwoNodeCluster
{
    private static readonly string[] Limits =
    [
        "--OpenWard:Devices:BackOffAfterFailures=3",
        "--OpenWard:Devices:BackOffSeconds=3600",
        "--OpenWard:Devices:MaxBackOffSeconds=3600",
        "--OpenWard:Devices:GuessingAlertAfterFailures=3",
        "--OpenWard:SignIn:SignInAttemptsPerMinute=6",
        "--OpenWard:SignIn:LockoutAfterFailures=3",
        "--OpenWard:Devices:RequestsPerAddressPerMinute=30",
    ];

    /// <inheritdoc />
    protected override async Task StartNodesAsync(PostgreSqlDatabase store, string keyEncryptionKey)
    {
        A = await ClusterNode.StartAsync("a", store, keyEncryptionKey, Limits);
        Ward = await ClusterWard.SetUpAsync(A);
        B = await ClusterNode.StartAsync("b", store, keyEncryptionKey, Limits);
    }

    /// <summary>
    /// An HTTP client to <paramref name="node"/> whose connections come from the loopback address
    /// <paramref name="localAddress"/> (any of 127.0.0.0/8), keeping its cookies and not following redirects.
    /// </summary>
    public static HttpClient From(string localAddress, ClusterNode node) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            BaseAddress = node.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
}
