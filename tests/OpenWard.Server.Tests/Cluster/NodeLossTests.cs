using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// Three OpenWard processes in one cluster on one PostgreSQL database. Devices spread over the nodes
/// publish at QoS 1; one node is killed mid-stream; its device reconnects to a survivor and goes on.
/// Every acknowledged reading is then readable from every surviving node, and the dead node's patient
/// is watched again: an emergency call raises its alert, seen from another node.
/// </summary>
public sealed class NodeLossTests
{
    private const int ReadingsPerPhase = 20;

    [Fact]
    public async Task NodeKilledMidStream_LosesNoAcknowledgedReading_AndItsPatientIsWatchedAgain()
    {
        await using var database = await PostgreSqlDatabase.CreateAsync();
        var keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // The first node sets the store up (bootstrap client, schema); the ward is set up through it.
        await using var a = await ClusterNode.StartAsync("a", database, keyEncryptionKey);
        using var ward = await ClusterWard.SetUpAsync(a);
        var devices = new List<(string Id, string Secret, string PatientId)>();
        foreach (var bed in new[] { "1", "2", "3" })
        {
            devices.Add(await ward.AdmitWithOximeterAsync(bed));
        }

        await using var b = await ClusterNode.StartAsync("b", database, keyEncryptionKey);
        await using var c = await ClusterNode.StartAsync("c", database, keyEncryptionKey);
        var nodes = new[] { a, b, c };
        var acknowledged = devices.ToDictionary(d => d.PatientId, _ => new HashSet<DateTimeOffset>());
        var clients = new IMqttClient[3];
        for (var i = 0; i < 3; i++)
        {
            clients[i] = await nodes[i].ConnectDeviceAsync(devices[i].Id, devices[i].Secret);
        }

        // Every device publishes; node c is killed while they do; c's device goes on through node a.
        var publishing = Enumerable.Range(0, 3).Select(i => PublishAsync(clients[i], devices[i], ReadingsPerPhase, acknowledged)).ToList();
        await Task.Delay(200, TestContext.Current.CancellationToken);
        c.Kill();
        await Task.WhenAll(publishing);

        clients[2].Dispose();
        clients[2] = await a.ConnectDeviceAsync(devices[2].Id, devices[2].Secret);
        await PublishAsync(clients[2], devices[2], ReadingsPerPhase, acknowledged);
        Assert.True(acknowledged[devices[2].PatientId].Count >= ReadingsPerPhase, "the dead node's device published again through a survivor");

        foreach (var survivor in new[] { a, b })
        {
            using var records = await ward.RecordSystemOnAsync(survivor);
            foreach (var (_, _, patientId) in devices)
            {
                var stored = await records.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patientId}/readings?vital=heart-rate&limit=1000", TestContext.Current.CancellationToken);
                var times = stored.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("time").GetDateTimeOffset()).ToHashSet();
                var missing = acknowledged[patientId].Except(times).Count();
                Assert.True(missing == 0, $"{missing} of {acknowledged[patientId].Count} acknowledged readings missing from node {survivor.Name} ({times.Count} stored): {stored}");
            }
        }

        // The dead node's patient is watched again: an emergency call through a survivor raises the alert, seen from the other one.
        var emergency = $$"""[{"vital":"emergency-call","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1))}}","value":1,"unit":"{event}"}]""";
        Assert.Equal(MqttClientPublishReasonCode.Success, (await clients[2].PublishReadingsAsync($"devices/{devices[2].Id}/readings", emergency)).ReasonCode);
        using var seenFromB = await ward.RecordSystemOnAsync(b);
        await Eventually.MatchAsync(
            () => seenFromB.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?patientId={devices[2].PatientId}", TestContext.Current.CancellationToken),
            alerts => alerts.EnumerateArray().Any(alert => alert.GetProperty("condition").GetString() == "emergency:emergency-call"),
            "the emergency call's alert, seen from node b", TimeSpan.FromSeconds(120));

        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    // Publishes heart rates measured now, one at a time, and counts those acknowledged; stops at the first failure (its node died).
    private static async Task PublishAsync(
        IMqttClient client, (string Id, string Secret, string PatientId) device, int count, Dictionary<string, HashSet<DateTimeOffset>> acknowledged)
    {
        for (var n = 0; n < count; n++)
        {
            // Whole milliseconds, as sent, so that the times compared are exactly the times stored.
            var measured = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            try
            {
                var result = await client.PublishReadingsAsync($"devices/{device.Id}/readings", "[" + Publishing.HeartRate(measured, 70 + (n % 5)) + "]");
                if (result.ReasonCode != MqttClientPublishReasonCode.Success)
                {
                    return;
                }

                lock (acknowledged)
                {
                    acknowledged[device.PatientId].Add(measured);
                }
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
