using System.Net;
using MQTTnet;
using Npgsql;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// PostgreSQL out of reach, at start and while running (a relay in front of the real server, cut and
/// restored): the server says so and waits, devices get no acknowledgement while it is gone (so they
/// keep their readings), the node tells load balancers it is not ready, and OpenWard goes on by itself
/// when it is back.
/// </summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task PostgreSqlUnreachableAtStart_TheServerSaysSoAndStartsWhenItIsBack()
    {
        await using var server = new RelayedPostgreSqlServer(open: false);
        var starting = Task.Run(async () => await server.InitializeAsync(), TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(
            () => Task.FromResult(server.Logs.Messages.Any(m => m.Contains("cannot be reached", StringComparison.Ordinal))),
            "the server saying PostgreSQL cannot be reached");
        Assert.False(starting.IsCompleted, "the server waits for PostgreSQL");

        server.Relay.Restore();
        await starting.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        Assert.Equal(MqttClientPublishReasonCode.Success, (await device.PublishReadingsAsync($"devices/{deviceId}/readings", "[" + Publishing.HeartRate(DateTimeOffset.UtcNow.AddSeconds(-1), 71) + "]")).ReasonCode);
    }

    [Fact]
    public async Task PostgreSqlLostWhileRunning_NoAcknowledgement_ThenOpenWardGoesOnByItself()
    {
        await using var server = new RelayedPostgreSqlServer(open: true);
        await server.InitializeAsync();
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var topic = $"devices/{deviceId}/readings";
        Assert.Equal(MqttClientPublishReasonCode.Success, (await device.PublishReadingsAsync(topic, "[" + Publishing.HeartRate(DateTimeOffset.UtcNow.AddSeconds(-1), 70) + "]")).ReasonCode);

        server.Relay.Cut();
        var duringOutage = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds());
        Assert.False(await AcknowledgedAsync(device, topic, Publishing.HeartRate(duringOutage, 71)), "a reading acknowledged while the store was out of reach");

        server.Relay.Restore();
        // The device sends what was not acknowledged again, as devices do, until it is.
        var connection = device.IsConnected ? device : await server.ConnectDeviceAsync(deviceId, secret);
        var resent = false;
        for (var attempt = 1; !resent && attempt <= 30; attempt++)
        {
            resent = await AcknowledgedAsync(connection, topic, Publishing.HeartRate(duringOutage, 71));
            if (!resent)
            {
                await Task.Delay(1000, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(resent, "the reading acknowledged once the store was back");
        // The first request after the outage is answered too: the pools' broken connections were dropped.
        var stored = await server.GetJsonAsync($"/api/v1/patients/{patientId}/readings?vital=heart-rate&limit=10");

        Assert.Contains(stored.GetProperty("items").EnumerateArray(), item => item.GetProperty("time").GetDateTimeOffset() == duringOutage);
        if (!ReferenceEquals(connection, device))
        {
            connection.Dispose();
        }
    }

    [Fact]
    public async Task ADeviceRevokedWhileThisNodeCouldNotHearOfIt_IsDisconnectedWhenItCatchesUp()
    {
        await using var server = new RelayedPostgreSqlServer(open: true);
        await server.InitializeAsync();
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        // Another node revokes the device while this node's connections to the store are cut: its signal is not heard here.
        server.Relay.Cut();
        await using (var otherNode = new NpgsqlConnection(server.Database.ConnectionString))
        {
            await otherNode.OpenAsync(TestContext.Current.CancellationToken);
            await using var revoke = otherNode.CreateCommand();
            revoke.CommandText = "UPDATE devices SET revoked_at = @now WHERE id = @id;";
            revoke.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            revoke.Parameters.AddWithValue("@id", deviceId);
            Assert.Equal(1, await revoke.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        Assert.True(device.IsConnected, "the device stays connected while this node cannot know");
        server.Relay.Restore();

        await Eventually.TrueAsync(() => Task.FromResult(!device.IsConnected), "the revoked device's connection closed once this node caught up");
        using var again = new MqttClientFactory().CreateMqttClient();
        var refusal = await again.ConnectAsync(server.MqttOptions(deviceId, secret).Build(), TestContext.Current.CancellationToken);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refusal.ResultCode);
    }

    [Fact]
    public async Task PostgreSqlLostWhileRunning_TheNodeSaysItIsNotReady_UntilItIsBack()
    {
        await using var server = new RelayedPostgreSqlServer(open: true);
        await server.InitializeAsync();
        using var balancer = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, await ReadinessAsync(balancer));

        server.Relay.Cut();
        await Eventually.MatchAsync(() => ReadinessAsync(balancer), status => status == HttpStatusCode.ServiceUnavailable,
            "the node saying it is not ready while it cannot reach its store");

        server.Relay.Restore();
        await Eventually.MatchAsync(() => ReadinessAsync(balancer), status => status == HttpStatusCode.OK,
            "the node saying it is ready again once its store is back", TimeSpan.FromSeconds(60));
    }

    private static async Task<HttpStatusCode> ReadinessAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    // Whether the reading was acknowledged as stored (a refusal, a timeout or a lost connection is not).
    private static async Task<bool> AcknowledgedAsync(IMqttClient device, string topic, string reading)
    {
        try
        {
            return (await device.PublishReadingsAsync(topic, "[" + reading + "]")).ReasonCode == MqttClientPublishReasonCode.Success;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    // The whole server on a database of its own, reached through a relay the test can cut.
    private sealed class RelayedPostgreSqlServer(bool open) : PostgreSqlServer
    {
        public TcpRelay Relay { get; } = new(5432, open);

        protected override string StoreConnectionString =>
            new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Port = Relay.Port, Timeout = 5 }.ConnectionString;

        public override async ValueTask DisposeAsync()
        {
            Relay.Restore();
            await base.DisposeAsync();
            await Relay.DisposeAsync();
        }
    }
}
