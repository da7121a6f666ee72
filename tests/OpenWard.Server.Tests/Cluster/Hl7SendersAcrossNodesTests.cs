using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// HL7 senders on a cluster: a sender registered through node a after node b started files through
/// node b, and once revoked through node a, node b refuses it too.
/// </summary>
public sealed class Hl7SendersAcrossNodesTests
{
    [Fact]
    public async Task ASenderRegisteredAndRevokedThroughOneNode_IsAcceptedAndThenRefusedByTheOther()
    {
        await using var database = await PostgreSqlDatabase.CreateAsync();
        var keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var nodesCertificate = TestCertificates.SelfSigned("CN=openward.test");
        var certificatePath = Path.Combine(Path.GetTempPath(), $"openward-nodes-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(certificatePath, nodesCertificate.Export(X509ContentType.Pkcs12), TestContext.Current.CancellationToken);
        try
        {
            await using var a = await ClusterNode.StartWithTlsAsync("a", database, keyEncryptionKey, certificatePath);
            await using var b = await ClusterNode.StartWithTlsAsync("b", database, keyEncryptionKey, certificatePath);
            using var ward = await ClusterWard.SetUpAsync(a);
            var monitor = await ward.AdmitWithOximeterAsync("1");
            using var senderCertificate = TestCertificates.SelfSigned("CN=interface-engine");
            await ClusterWard.PostAsync(ward.Administrator, "/api/v1/hl7-senders",
                new { name = "interface-engine", certificatePem = senderCertificate.ExportCertificatePem(), devices = new[] { monitor.Id } });

            var heard = await Eventually.MatchAsync(() => FileAsync(b, senderCertificate, "ACROSS-1", monitor.Id), ack => ack == "AA",
                "node b accepting the sender registered through node a");
            Assert.Equal("AA", heard);

            using (var revoked = await ward.Administrator.PostAsync("/api/v1/hl7-senders/interface-engine/revoke", null, TestContext.Current.CancellationToken))
            {
                revoked.EnsureSuccessStatusCode();
            }

            await Eventually.MatchAsync(() => FileAsync(b, senderCertificate, "ACROSS-2", monitor.Id), ack => ack != "AA",
                "node b refusing the sender revoked through node a");
        }
        finally
        {
            File.Delete(certificatePath);
        }
    }

    // Files one heart rate with the node over MLLP/TLS: the acknowledgement code, or why there was none.
    private static async Task<string> FileAsync(ClusterNode node, X509Certificate2 certificate, string controlId, string deviceId)
    {
        try
        {
            await using var sender = await MllpClient.ConnectOverTlsAsync(node.MllpTlsPort, certificate);
            var acks = await sender.ExchangeAsync(OruMessages.HeartRate(controlId, deviceId, DateTimeOffset.UtcNow.AddMinutes(-1), 74));
            return acks.Count == 1 ? acks[0].First("MSA")?.Get(1) ?? "no MSA" : "no acknowledgement";
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return "connection refused: " + e.GetType().Name;
        }
    }
}
