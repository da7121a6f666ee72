using MQTTnet.Protocol;

namespace OpenWard.Cli.Bench;

/// <summary>The load an ingest benchmark applies.</summary>
public sealed record IngestLoad
{
    /// <summary>Concurrent device connections.</summary>
    public required int Devices { get; init; }

    /// <summary>Messages per device per second; 0 sends the next message as soon as the previous one is acknowledged.</summary>
    public required double MessagesPerDevicePerSecond { get; init; }

    /// <summary>Readings in each message.</summary>
    public required int ReadingsPerMessage { get; init; }

    /// <summary>MQTT quality of service.</summary>
    public required MqttQualityOfServiceLevel Qos { get; init; }

    /// <summary>How long to publish while measuring.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>
    /// How long to publish before measuring starts: the server activates every patient's monitoring
    /// (reading each one's recent history from the store) on their first reading, which a short run
    /// would otherwise count as steady load.
    /// </summary>
    public TimeSpan Warmup { get; init; }

    /// <summary>MQTT broker host.</summary>
    public required string MqttHost { get; init; }

    /// <summary>MQTT broker port.</summary>
    public required int MqttPort { get; init; }

    /// <summary>
    /// The nodes of a cluster to spread the devices over, in turn (empty: every device connects to
    /// <see cref="MqttHost"/>). A device whose node is lost reconnects to the next node in the list and
    /// publishes again the message that went unacknowledged, as a real device would.
    /// </summary>
    public IReadOnlyList<BenchEndpoint> Nodes { get; init; } = [];

    /// <summary>
    /// Whether a device whose connection closes reconnects (to the next of <see cref="Nodes"/>, or to the
    /// one broker) and sends again what went unacknowledged, as a real device would, instead of stopping.
    /// Always so across several nodes.
    /// </summary>
    public bool Reconnects { get; init; }

    /// <summary>Where device <paramref name="index"/> connects first.</summary>
    public BenchEndpoint EndpointOf(int index) => Nodes.Count > 0 ? Nodes[index % Nodes.Count] : new BenchEndpoint(MqttHost, MqttPort);
}
