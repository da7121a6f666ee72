using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OpenWard.Core.Hl7;

namespace OpenWard.Testing;

/// <summary>An HL7 sender on one MLLP connection: plain (loopback port) or TLS with a client certificate.</summary>
public sealed class MllpClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TcpClient tcp;
    private readonly Stream stream;
    private readonly List<byte> received = [];

    private MllpClient(TcpClient tcp, Stream stream)
    {
        this.tcp = tcp;
        this.stream = stream;
    }

    /// <summary>A connection to the plain loopback port.</summary>
    public static async Task<MllpClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(Timeout);
        await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
        return new MllpClient(tcp, tcp.GetStream());
    }

    /// <summary>A TLS connection presenting <paramref name="certificate"/> (or none).</summary>
    public static async Task<MllpClient> ConnectOverTlsAsync(int port, X509Certificate2? certificate)
    {
        var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(Timeout);
        await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, _, _, _) => true, // the server's self-signed test certificate
            ClientCertificates = certificate is null ? null : [certificate],
        }, timeout.Token);
        return new MllpClient(tcp, tls);
    }

    /// <summary>Sends each message framed, and reads as many acknowledgements; fewer when the server closes the connection.</summary>
    public async Task<List<Hl7Message>> ExchangeAsync(params string[] messages)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        // Noise before the first frame is skipped.
        await stream.WriteAsync("\r\n"u8.ToArray(), timeout.Token);
        foreach (var message in messages)
        {
            byte[] frame = [0x0B, .. Encoding.UTF8.GetBytes(message), 0x1C, 0x0D];
            await stream.WriteAsync(frame, timeout.Token);
        }

        var acks = new List<Hl7Message>();
        var buffer = new byte[4096];
        while (acks.Count < messages.Length)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                read = 0; // reset by the server after closing
            }

            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read).ToArray());
            int end;
            while ((end = received.IndexOf(0x1C)) > 0 && received.Count > end + 1)
            {
                var frame = Encoding.UTF8.GetString(received.GetRange(1, end - 1).ToArray());
                received.RemoveRange(0, end + 2);
                Assert.True(Hl7Message.TryParse(frame, out var ack, out var problem), problem);
                acks.Add(ack!);
            }
        }

        return acks;
    }

    /// <summary>Whether the server has closed the connection (read returns end of stream within the time-out).</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await stream.ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        tcp.Dispose();
    }
}
