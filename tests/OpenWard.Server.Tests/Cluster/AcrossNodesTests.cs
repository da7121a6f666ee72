using System.Net.Http.Json;
using System.Text.Json;
using System.Security.Cryptography;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// Two OpenWard processes in one cluster: what one node does is seen by the consoles and devices of the
/// other. A console connected to node b hears of readings and alerts for a device connected to node a;
/// a device registered and assigned through node a after node b started connects to node b; revoked
/// through node a, its connection to node b is closed and it cannot connect again. Each node knows the
/// devices connected to the other, and a device that connects again through the other node moves its session there.
/// </summary>
public sealed class AcrossNodesTests
{
    [Fact]
    public async Task WhatOneNodeDoes_TheOtherNodesConsolesAndDevicesSee()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await PostgreSqlDatabase.CreateAsync();
        var keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var a = await ClusterNode.StartAsync("a", database, keyEncryptionKey);
        using var ward = await ClusterWard.SetUpAsync(a);
        var first = await ward.AdmitWithOximeterAsync("1");
        await using var b = await ClusterNode.StartAsync("b", database, keyEncryptionKey);

        // A console on node b; the device on node a.
        using var recordsOnB = await ward.RecordSystemOnAsync(b);
        await using var console = await AlertListener.ConnectAsync(b.BaseAddress, AccessToken(recordsOnB));
        using var onA = await a.ConnectDeviceAsync(first.Id, first.Secret);
        var reading = "[" + Publishing.HeartRate(DateTimeOffset.UtcNow.AddSeconds(-1), 72) + "]";
        Assert.Equal(MqttClientPublishReasonCode.Success, (await onA.PublishReadingsAsync($"devices/{first.Id}/readings", reading)).ReasonCode);
        await console.WaitForWardNoticeAsync(first.PatientId);

        var emergency = $$"""[{"vital":"emergency-call","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1))}}","value":1,"unit":"{event}"}]""";
        Assert.Equal(MqttClientPublishReasonCode.Success, (await onA.PublishReadingsAsync($"devices/{first.Id}/readings", emergency)).ReasonCode);
        var alert = await console.WaitForAsync(alert => alert.GetProperty("patientId").GetString() == first.PatientId);
        Assert.Equal("emergency:emergency-call", alert.GetProperty("condition").GetString());

        // Node b knows the device is connected (to node a). Connecting again through node b moves its
        // session there: node a closes the older one, and node a knows it is connected (to node b).
        var adminOnA = ward.Administrator;
        using var adminOnB = await ward.AdministratorOnAsync(b);
        await Eventually.TrueAsync(() => IsConnectedAsync(adminOnB, first.Id), "node b reporting the device connected to node a as connected");
        using var movedToB = await b.ConnectDeviceAsync(first.Id, first.Secret);
        await Eventually.TrueAsync(() => Task.FromResult(!onA.IsConnected), "node a closing the device's older session");
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        Assert.True(movedToB.IsConnected, "the device's new session on node b stays");
        Assert.True(await IsConnectedAsync(adminOnA, first.Id), "node a reporting the device connected to node b as connected");

        // Registered and assigned through node a after node b started: node b knows the device.
        var second = await ward.AdmitWithOximeterAsync("2");
        using var onB = await ConnectWhenKnownAsync(b, second.Id, second.Secret);
        // Its assignment reaches node b a moment after its registration: a reading sent in between is kept unattributed.
        var heard = false;
        for (var attempt = 1; !heard && attempt <= 10; attempt++)
        {
            reading = "[" + Publishing.HeartRate(DateTimeOffset.UtcNow.AddSeconds(-1), 75) + "]";
            Assert.Equal(MqttClientPublishReasonCode.Success, (await onB.PublishReadingsAsync($"devices/{second.Id}/readings", reading)).ReasonCode);
            heard = await console.HeardOfAsync(second.PatientId, TimeSpan.FromSeconds(3));
        }

        Assert.True(heard, "the console on node b heard of the new patient's reading taken by node b");

        // Revoked through node a: node b closes its connection and refuses it from then on.
        await ClusterWard.PostAsync(ward.Administrator, $"/api/v1/devices/{second.Id}/revoke", new { });
        await Eventually.TrueAsync(() => Task.FromResult(!onB.IsConnected), "the revoked device's connection to node b closed");
        var (again, refused) = await b.TryConnectDeviceAsync(second.Id, second.Secret);
        again.Dispose();
        Assert.NotEqual(MqttClientConnectResultCode.Success, refused);
    }

    private static async Task<bool> IsConnectedAsync(HttpClient admin, string deviceId)
    {
        var status = await admin.GetFromJsonAsync<JsonElement>("/api/v1/device-status", TestContext.Current.CancellationToken);
        return status.EnumerateArray().Single(device => device.GetProperty("id").GetString() == deviceId).GetProperty("connected").GetBoolean();
    }

    private static string AccessToken(HttpClient client) =>
        (client.DefaultRequestHeaders.Authorization ?? throw new InvalidOperationException("not signed in")).Parameter!;

    // The other node hears of a new device within moments of its registration: until then it refuses it.
    private static async Task<IMqttClient> ConnectWhenKnownAsync(ClusterNode node, string deviceId, string secret)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (client, result) = await node.TryConnectDeviceAsync(deviceId, secret);
            if (result == MqttClientConnectResultCode.Success || attempt == 50)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result);
                return client;
            }

            client.Dispose();
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
