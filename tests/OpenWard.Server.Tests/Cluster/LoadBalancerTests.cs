using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// The shipped HAProxy configuration (<c>deploy/haproxy/openward.cfg</c>, rendered for loopback) in
/// front of two OpenWard processes on one PostgreSQL database. Everything goes through the balancer:
/// devices over MQTT and MQTT over TLS, an upload over HTTPS, an HL7 sender over MLLP with TLS and its
/// client certificate, and the API reading it all back. Then the node holding the TLS device is killed;
/// the balancer takes it out, and the device, connecting again to the balancer's address, goes on.
/// </summary>
public sealed class LoadBalancerTests
{
    [Fact]
    public async Task EveryWayIn_ThroughTheBalancer_IsStoredAndReadable_AndADeviceOfAKilledNodeGoesOn()
    {
        await using var balancer = new LoadBalancer();
        await using var database = await PostgreSqlDatabase.CreateAsync();
        var keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // One certificate on every node, as behind a balancer that passes TLS through.
        using var nodesCertificate = TestCertificates.SelfSigned("CN=openward.test");
        var certificatePath = Path.Combine(Path.GetTempPath(), $"openward-nodes-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(certificatePath, nodesCertificate.Export(X509ContentType.Pkcs12), TestContext.Current.CancellationToken);
        // Tokens name the balancer's address whichever node issued them, so every node accepts them.
        var issuer = $"--OpenWard:SignIn:Issuer={balancer.HttpsAddress}";
        try
        {
            await using var a = await ClusterNode.StartWithTlsAsync("a", database, keyEncryptionKey, certificatePath, issuer);
            using var ward = await ClusterWard.SetUpAsync(a);
            var mqttDevice = await ward.AdmitWithOximeterAsync("1");
            var tlsDevice = await ward.AdmitWithOximeterAsync("2");
            var httpsDevice = await ward.AdmitWithOximeterAsync("3");
            var monitored = await ward.AdmitWithOximeterAsync("4");
            using var senderCertificate = TestCertificates.SelfSigned("CN=interface-engine");
            await ClusterWard.PostAsync(ward.Administrator, "/api/v1/hl7-senders",
                new { name = "interface-engine", certificatePem = senderCertificate.ExportCertificatePem(), devices = new[] { monitored.Id } });
            await using var b = await ClusterNode.StartWithTlsAsync("b", database, keyEncryptionKey, certificatePath, issuer);
            var nodes = new[] { a, b };
            await balancer.StartAsync(nodes);
            await Eventually.MatchAsync(() => balancer.ServersAsync("openward_https"), servers => servers.Values.All(s => s.Status == "UP"),
                "the balancer's health checks finding both nodes ready");

            using var plain = await ConnectAsync(balancer.MqttPort, mqttDevice, tls: false);
            Assert.Equal(MqttClientPublishReasonCode.Success, (await plain.PublishReadingsAsync($"devices/{mqttDevice.Id}/readings", Reading(71))).ReasonCode);
            var tls = await ConnectAsync(balancer.MqttTlsPort, tlsDevice, tls: true, nodesCertificate.Thumbprint);
            Assert.Equal(MqttClientPublishReasonCode.Success, (await tls.PublishReadingsAsync($"devices/{tlsDevice.Id}/readings", Reading(72))).ReasonCode);
            Assert.Equal(HttpStatusCode.Accepted, await HttpsUploads.HeartRateAsync(balancer.HttpsAddress, httpsDevice.Id, httpsDevice.Secret, null, 73));
            await using (var sender = await MllpClient.ConnectOverTlsAsync(balancer.MllpTlsPort, senderCertificate))
            {
                var ack = Assert.Single(await sender.ExchangeAsync(OruMessages.HeartRate("LB-1", monitored.Id, DateTimeOffset.UtcNow.AddMinutes(-1), 74)));
                Assert.Equal("AA", ack.First("MSA")!.Get(1));
            }

            using (var records = await ward.RecordSystemAtAsync(balancer.HttpsAddress))
            {
                await AssertStoredAsync(records, mqttDevice.PatientId, 71);
                await AssertStoredAsync(records, tlsDevice.PatientId, 72);
                await AssertStoredAsync(records, httpsDevice.PatientId, 73);
                await AssertStoredAsync(records, monitored.PatientId, 74);
            }

            // The node holding the TLS device's connection is killed; the balancer's checks take it out.
            var servers = await balancer.ServersAsync("openward_mqtt_tls");
            var holding = Assert.Single(servers, server => server.Value.Connections == 1).Key;
            nodes[int.Parse(holding["node".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1].Kill();
            await Eventually.MatchAsync(() => balancer.ServersAsync("openward_mqtt_tls"), now => now[holding].Status == "DOWN",
                $"the balancer taking {holding} out after its process was killed");

            // The device connects again to the same address, reaches the surviving node, and is acknowledged.
            tls.Dispose();
            using var again = await ConnectAsync(balancer.MqttTlsPort, tlsDevice, tls: true, nodesCertificate.Thumbprint);
            Assert.Equal(MqttClientPublishReasonCode.Success, (await again.PublishReadingsAsync($"devices/{tlsDevice.Id}/readings", Reading(75))).ReasonCode);
            using var afterwards = await ward.RecordSystemAtAsync(balancer.HttpsAddress);
            await AssertStoredAsync(afterwards, tlsDevice.PatientId, 72);
            await AssertStoredAsync(afterwards, tlsDevice.PatientId, 75);
        }
        finally
        {
            File.Delete(certificatePath);
        }
    }

    private static string Reading(int heartRate) => "[" + Publishing.HeartRate(DateTimeOffset.UtcNow.AddSeconds(-1), heartRate) + "]";

    // A device connecting to the balancer; over TLS, the certificate it is shown must be the nodes' own (TLS passes through).
    private static async Task<IMqttClient> ConnectAsync(int port, (string Id, string Secret, string PatientId) device, bool tls, string? nodesThumbprint = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(device.Id)
            .WithCredentials(device.Id, device.Secret)
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (tls)
        {
            options.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(shown => shown.Certificate?.GetCertHashString() == nodesThumbprint));
        }

        var result = await client.ConnectAsync(options.Build(), TestContext.Current.CancellationToken);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static async Task AssertStoredAsync(HttpClient records, string patientId, int heartRate)
    {
        var stored = await records.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patientId}/readings?vital=heart-rate&limit=100", TestContext.Current.CancellationToken);
        Assert.True(stored.GetProperty("items").EnumerateArray().Any(item => item.GetProperty("value").GetDouble() == heartRate),
            $"a heart rate of {heartRate} read back through the balancer: {stored}");
    }
}
