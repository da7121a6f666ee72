using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;

namespace OpenWard.Cli.Bench;

/// <summary>
/// For a plain broker (no storage), the place readings should end up: subscribers to
/// <c>devices/+/readings</c> that count, per device, the readings delivered to them. They share
/// one MQTT 5 subscription (<c>$share/…</c>), so the broker spreads deliveries over several
/// connections: one client handles its messages one at a time and, at tens of thousands a second,
/// fell behind until the broker dropped what it could not queue for it.
/// </summary>
public sealed class PassThroughSubscriber : IAsyncDisposable
{
    private const int Connections = 4;
    private const string SharedTopic = "$share/openward-bench/devices/+/readings";
    private readonly IMqttClient[] clients = [.. Enumerable.Range(0, Connections).Select(_ => new MqttClientFactory().CreateMqttClient())];
    private readonly int readingsPerMessage;

    private PassThroughSubscriber(int readingsPerMessage) => this.readingsPerMessage = readingsPerMessage;

    /// <summary>Readings delivered per device.</summary>
    public ConcurrentDictionary<string, long> DeliveredByDevice { get; } = new();

    /// <summary>Connects and subscribes.</summary>
    public static async Task<PassThroughSubscriber> StartAsync(string host, int port, int readingsPerMessage, CancellationToken cancellationToken)
    {
        var subscriber = new PassThroughSubscriber(readingsPerMessage);
        for (var i = 0; i < subscriber.clients.Length; i++)
        {
            var client = subscriber.clients[i];
            client.ApplicationMessageReceivedAsync += e =>
            {
                // devices/{id}/readings
                var topic = e.ApplicationMessage.Topic;
                var id = topic["devices/".Length..topic.LastIndexOf('/')];
                subscriber.DeliveredByDevice.AddOrUpdate(id, subscriber.readingsPerMessage, (_, n) => n + subscriber.readingsPerMessage);
                return Task.CompletedTask;
            };
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer(host, port)
                .WithClientId($"openward-bench-subscriber-{i}")
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .Build();
            await client.ConnectAsync(options, cancellationToken);
            await client.SubscribeAsync(SharedTopic, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        }

        return subscriber;
    }

    /// <summary>Waits until deliveries stop arriving (at most <paramref name="limit"/>).</summary>
    public async Task DrainAsync(TimeSpan limit)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        var last = -1L;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var total = DeliveredByDevice.Values.Sum();
            if (total == last)
            {
                return;
            }

            last = total;
            await Task.Delay(500);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync();
            }

            client.Dispose();
        }
    }
}
