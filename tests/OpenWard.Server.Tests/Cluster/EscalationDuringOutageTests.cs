using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// An alert raised through one node, whose escalation falls due after that node is lost: the surviving
/// node escalates it, since escalation is driven from the store by every node.
/// </summary>
public sealed class EscalationDuringOutageTests
{
    private static readonly string[] Tiers =
    [
        "--OpenWard:Alerting:Escalation:0:Name=ward nurse",
        "--OpenWard:Alerting:Escalation:0:After=00:00:00",
        "--OpenWard:Alerting:Escalation:1:Name=charge nurse",
        "--OpenWard:Alerting:Escalation:1:After=00:00:20",
    ];

    [Fact]
    public async Task AnEscalationThatFallsDueAfterItsNodeIsLost_StillHappens()
    {
        await using var database = await PostgreSqlDatabase.CreateAsync();
        var keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var a = await ClusterNode.StartAsync("a", database, keyEncryptionKey, Tiers);
        using var ward = await ClusterWard.SetUpAsync(a);
        var device = await ward.AdmitWithOximeterAsync("1");
        await using var b = await ClusterNode.StartAsync("b", database, keyEncryptionKey, Tiers);
        using var recordsOnB = await ward.RecordSystemOnAsync(b);

        using (var onA = await a.ConnectDeviceAsync(device.Id, device.Secret))
        {
            var emergency = $$"""[{"vital":"emergency-call","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1))}}","value":1,"unit":"{event}"}]""";
            Assert.Equal(MqttClientPublishReasonCode.Success, (await onA.PublishReadingsAsync($"devices/{device.Id}/readings", emergency)).ReasonCode);
        }

        // Still at the first tier when node a is lost: the step to the second falls due after.
        await Eventually.MatchAsync(
            () => AlertAsync(recordsOnB, device.PatientId),
            alert => alert?.GetProperty("escalatedTo").GetString() == "ward nurse",
            "the emergency call's alert, raised through node a, with the ward nurse");
        a.Kill();

        await Eventually.MatchAsync(
            () => AlertAsync(recordsOnB, device.PatientId),
            alert => alert?.GetProperty("escalatedTo").GetString() == "charge nurse",
            "the alert escalated to the charge nurse by node b after node a was lost", TimeSpan.FromSeconds(120));
    }

    private static async Task<JsonElement?> AlertAsync(HttpClient client, string patientId)
    {
        var alerts = await client.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?patientId={patientId}", TestContext.Current.CancellationToken);
        return alerts.EnumerateArray().Where(alert => alert.GetProperty("condition").GetString() == "emergency:emergency-call").Select(alert => (JsonElement?)alert).FirstOrDefault();
    }
}
