using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;

namespace OpenWard.Cli.Bench;

/// <summary>
/// For a plain broker (no storage), the place readings should end up: a subscriber to
/// <c>devices/+/readings</c> that counts, per device, the readings delivered to it.
/// </summary>
public sealed class PassThroughSubscriber : IAsyncDisposable
{
    private readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();
    private readonly int readingsPerMessage;

    private PassThroughSubscriber(int readingsPerMessage) => this.readingsPerMessage = readingsPerMessage;

    /// <summary>Readings delivered per device.</summary>
    public ConcurrentDictionary<string, long> DeliveredByDevice { get; } = new();

    /// <summary>Connects and subscribes.</summary>
    public static async Task<PassThroughSubscriber> StartAsync(string host, int port, int readingsPerMessage, CancellationToken cancellationToken)
    {
        var subscriber = new PassThroughSubscriber(readingsPerMessage);
        subscriber.client.ApplicationMessageReceivedAsync += e =>
        {
            // devices/{id}/readings
            var topic = e.ApplicationMessage.Topic;
            var id = topic["devices/".Length..topic.LastIndexOf('/')];
            subscriber.DeliveredByDevice.AddOrUpdate(id, subscriber.readingsPerMessage, (_, n) => n + subscriber.readingsPerMessage);
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId("openward-bench-subscriber")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .Build();
        await subscriber.client.ConnectAsync(options, cancellationToken);
        await subscriber.client.SubscribeAsync("devices/+/readings", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
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
        if (client.IsConnected)
        {
            await client.DisconnectAsync();
        }

        client.Dispose();
    }
}
