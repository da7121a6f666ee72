using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// Silo traffic between a cluster's nodes is mutual TLS (every other test in this folder runs its nodes
/// with it): a node whose certificate the cluster's authority did not issue cannot join, and says why;
/// a cluster node without silo TLS is refused at start, saying what to set, unless plain traffic is
/// allowed on loopback and the node is on loopback; a certificate that cannot be both ends of a connection is refused.
/// </summary>
public sealed class SiloTlsTests
{
    private const string Refused = "Refused a silo connection";

    [Fact]
    public async Task ANodeWhoseCertificateTheClusterDoesNotTrust_CannotJoin_AndTheRefusalSaysWhy()
    {
        await using var database = await PostgreSqlDatabase.CreateAsync();
        var keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var a = await ClusterNode.StartAsync("a", database, keyEncryptionKey);
        var strangers = Directory.CreateTempSubdirectory("openward-stranger-");
        try
        {
            // A certificate and an authority of its own: node c trusts only its own authority, and the cluster does not trust it.
            await using var c = ClusterNode.Launch("c", database, keyEncryptionKey, new SiloCertificates("Another authority").IssueFor("c", strangers.FullName));

            await Eventually.TrueAsync(() => Task.FromResult(a.Logged(Refused) || c.Logged(Refused)),
                "a node refusing the other's silo connection", TimeSpan.FromSeconds(90));
            Assert.True(a.Logged("CN=openward-node-c") || c.Logged("CN=openward-node-a"), "the refusal names the certificate refused");
            // Node c is not in the cluster: node a is its only active silo (Orleans' status 3).
            Assert.Equal("1", await database.ScalarAsync("SELECT COUNT(*) FROM orleansmembershiptable WHERE status = 3"));
            Assert.False(a.HasExited);
        }
        finally
        {
            strangers.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AClusterNodeWithoutSiloTls_IsRefusedAtStart_SayingWhatToSet()
    {
        var refusal = await StartRefusedAsync();

        Assert.Contains("OpenWard:Orleans:Tls:CaCertificatePath", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("OpenWard:Orleans:Tls:TrustedThumbprints", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainSiloTraffic_IsRefusedOffLoopback()
    {
        var refusal = await StartRefusedAsync("--OpenWard:Orleans:Tls:AllowPlainOnLoopback=true", "--OpenWard:Orleans:AdvertisedAddress=192.0.2.10");

        Assert.Contains("loopback", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("192.0.2.10", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASiloCertificateForServerAuthenticationOnly_IsRefusedAtStart()
    {
        var directory = Directory.CreateTempSubdirectory("openward-silo-certificate-");
        try
        {
            // A web server's certificate: it can answer a connection, not open one.
            var path = Path.Combine(directory.FullName, "web.pfx");
            using (var serverOnly = ServerAuthenticationOnly())
            {
                await File.WriteAllBytesAsync(path, serverOnly.Export(X509ContentType.Pkcs12), TestContext.Current.CancellationToken);
            }

            var refusal = await StartRefusedAsync($"--OpenWard:Orleans:Tls:CertificatePath={path}", "--OpenWard:Orleans:Tls:TrustedThumbprints:0=00");

            Assert.Contains("client authentication", refusal.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static X509Certificate2 ServerAuthenticationOnly()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=openward-web", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    // A cluster node's settings (its store is never reached: the silo is set up, and refused, first) and more.
    private static async Task<InvalidOperationException> StartRefusedAsync(params string[] settings)
    {
        var ports = FreePorts.Take(4);
        var dataDirectory = Directory.CreateTempSubdirectory("openward-refused-");
        try
        {
            return await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            {
                await using var app = await Program.BuildAsync(
                [
                    "--urls", $"http://127.0.0.1:{ports[0]}",
                    $"--OpenWard:DataDirectory={dataDirectory.FullName}",
                    $"--OpenWard:Mqtt:Port={ports[1]}",
                    "--OpenWard:Mqtt:TlsPort=0",
                    "--OpenWard:Mllp:Port=0",
                    $"--OpenWard:Orleans:SiloPort={ports[2]}",
                    $"--OpenWard:Orleans:GatewayPort={ports[3]}",
                    "--OpenWard:Store:Provider=postgresql",
                    "--OpenWard:Store:ConnectionString=Host=127.0.0.1;Database=openward_never_reached",
                    "--OpenWard:Cluster:Enabled=true",
                    $"--OpenWard:Encryption:KeyEncryptionKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
                    .. settings,
                ], TestContext.Current.CancellationToken);
            });
        }
        finally
        {
            dataDirectory.Delete(recursive: true);
        }
    }
}
