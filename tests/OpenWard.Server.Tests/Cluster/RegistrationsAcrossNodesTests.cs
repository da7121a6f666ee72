using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// What administrators register through one node of a cluster holds on the others at once, though
/// each node keeps it in memory: an HL7 sender registered through node a files through node b, and
/// once revoked through node a is refused by node b; a device model's mapping templates set through
/// node a read that model's messages on node b.
/// </summary>
public sealed class RegistrationsAcrossNodesTests(RegistrationsAcrossNodesTests.TwoNodes nodes) : IClassFixture<RegistrationsAcrossNodesTests.TwoNodes>
{
    [Fact]
    public async Task ASenderRegisteredAndRevokedThroughOneNode_IsAcceptedAndThenRefusedByTheOther()
    {
        var monitor = await nodes.Ward.AdmitWithOximeterAsync("hl7");
        using var senderCertificate = TestCertificates.SelfSigned("CN=interface-engine");
        await ClusterWard.PostAsync(nodes.Ward.Administrator, "/api/v1/hl7-senders",
            new { name = "interface-engine", certificatePem = senderCertificate.ExportCertificatePem(), devices = new[] { monitor.Id } });

        await Eventually.MatchAsync(() => FileAsync(nodes.B, senderCertificate, "ACROSS-1", monitor.Id), ack => ack == "AA",
            "node b accepting the sender registered through node a");

        using (var revoked = await nodes.Ward.Administrator.PostAsync("/api/v1/hl7-senders/interface-engine/revoke", null, TestContext.Current.CancellationToken))
        {
            revoked.EnsureSuccessStatusCode();
        }

        await Eventually.MatchAsync(() => FileAsync(nodes.B, senderCertificate, "ACROSS-2", monitor.Id), ack => ack != "AA",
            "node b refusing the sender revoked through node a");
    }

    [Fact]
    public async Task AModelsMappingSetThroughOneNode_ReadsItsMessagesOnTheOther()
    {
        const string model = "Across Scale";
        using (var set = await nodes.Ward.Administrator.PutAsJsonAsync($"/api/v1/device-models/{Uri.EscapeDataString(model)}/mapping",
            new { deviceMapping = JsonDocument.Parse(WeightMapping).RootElement, fhirMapping = JsonDocument.Parse(WeightFhirMapping).RootElement },
            TestContext.Current.CancellationToken))
        {
            Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var patientId = (await ClusterWard.PostAsync(nodes.Ward.Administrator, "/api/v1/patients", new { name = "Test Patient scale", careTeamId = nodes.Ward.CareTeamId }))
            .GetProperty("id").GetString()!;
        var deviceId = "scale-" + Guid.NewGuid().ToString("N")[..8];
        var secret = (await ClusterWard.PostAsync(nodes.Ward.Administrator, "/api/v1/devices", new { id = deviceId, model, serial = "SN-" + deviceId }))
            .GetProperty("secret").GetString()!;
        await ClusterWard.PostAsync(nodes.Ward.Administrator, $"/api/v1/devices/{deviceId}/assignment", new { patientId, from = DateTimeOffset.UtcNow.AddHours(-1) });
        var scale = await Eventually.FoundAsync(async () =>
        {
            var (client, result) = await nodes.B.TryConnectDeviceAsync(deviceId, secret);
            return result == MqttClientConnectResultCode.Success ? client : null;
        }, "node b knowing the scale registered through node a");

        using (scale)
        {
            var taken = DateTimeOffset.UtcNow.AddMinutes(-1);
            var published = await scale.PublishReadingsAsync($"devices/{deviceId}/messages", $$"""{"takenMs": {{taken.ToUnixTimeMilliseconds()}}, "weightKg": 71.5}""");
            Assert.Equal(MqttClientPublishReasonCode.Success, published.ReasonCode);
        }

        using var records = await nodes.Ward.RecordSystemOnAsync(nodes.A);
        var latest = await records.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);
        Assert.Contains(latest.EnumerateArray(), r => r.GetProperty("vital").GetString() == "body-weight" && r.GetProperty("value").GetDouble() == 71.5);
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

    private const string WeightMapping = """
        {"templateType": "CollectionContent", "template": [
          {"templateType": "CalculatedContent", "template": {
            "typeName": "weight", "typeMatchExpression": "$..[?(@weightKg)]",
            "deviceIdExpression": "$.SystemProperties.iothub-connection-device-id",
            "timestampExpression": {"value": "fromUnixTimestampMs(matchedToken.takenMs)", "language": "JmesPath"},
            "values": [{"valueName": "kg", "required": true, "valueExpression": "$.matchedToken.weightKg"}]}}]}
        """;

    private const string WeightFhirMapping = """
        {"templateType": "CollectionFhir", "template": [
          {"templateType": "CodeValueFhir", "template": {"typeName": "weight",
            "codes": [{"code": "29463-7", "system": "http://loinc.org", "display": "Body weight"}],
            "value": {"valueName": "kg", "valueType": "Quantity", "unit": "kg"}}}]}
        """;

    /// <summary>Two nodes with TLS listeners (one certificate for both), both started before anything is registered.</summary>
    public sealed class TwoNodes : TwoNodeCluster
    {
        private readonly string certificatePath = Path.Combine(Path.GetTempPath(), $"openward-nodes-{Guid.NewGuid():N}.pfx");

        /// <inheritdoc />
        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            File.Delete(certificatePath);
        }

        /// <inheritdoc />
        protected override async Task StartNodesAsync(PostgreSqlDatabase store, string keyEncryptionKey)
        {
            using (var certificate = TestCertificates.SelfSigned("CN=openward.test"))
            {
                await File.WriteAllBytesAsync(certificatePath, certificate.Export(X509ContentType.Pkcs12));
            }

            A = await ClusterNode.StartWithTlsAsync("a", store, keyEncryptionKey, certificatePath);
            B = await ClusterNode.StartWithTlsAsync("b", store, keyEncryptionKey, certificatePath);
            Ward = await ClusterWard.SetUpAsync(A);
        }
    }
}
