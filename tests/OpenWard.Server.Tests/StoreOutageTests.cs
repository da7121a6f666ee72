using MQTTnet;
using Npgsql;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// PostgreSQL out of reach, at start and while running (a relay in front of the real server, cut and
/// restored): the server says so and waits, devices get no acknowledgement while it is gone (so they
/// keep their readings), and OpenWard goes on by itself when it is back.
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
