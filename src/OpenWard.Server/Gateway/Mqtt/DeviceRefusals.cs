using System.Collections.Concurrent;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace OpenWard.Server.Gateway.Mqtt;

/// <summary>
/// Tells a device why a message it published was refused, on <c>devices/{id}/refusals</c>: MQTT 3.1.1
/// has no reason codes, so without this a device on 3.1.1 learns nothing. Only a session subscribed to
/// its refusals topic hears them; each refusal is sent to the session that published the refused message
/// before that message's PUBACK, so that the device reads them in order.
/// </summary>
public sealed partial class DeviceRefusals(ILogger<DeviceRefusals> logger)
{
    /// <summary>The subtopic under <c>devices/{id}/</c> that refusals are published on; the only one a device may subscribe to.</summary>
    public const string Subtopic = "refusals";

    // Long enough for any live connection to take one small message; a device that reads nothing does not hold its PUBACK longer.
    private static readonly TimeSpan SendWait = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The sessions (by client id) subscribed to their refusals topic, with the QoS they asked for.
    private readonly ConcurrentDictionary<string, MqttQualityOfServiceLevel> listening = new(StringComparer.Ordinal);

    /// <summary>The refusals topic of a device.</summary>
    public static string TopicOf(string deviceId) => $"devices/{deviceId}/{Subtopic}";

    /// <summary>A session subscribed to its refusals topic.</summary>
    public void Subscribed(string clientId, MqttQualityOfServiceLevel qualityOfService) => listening[clientId] = qualityOfService;

    /// <summary>A session unsubscribed, or ended (a clean start, or the session expired): it hears no more refusals.</summary>
    public void Forget(string clientId) => listening.TryRemove(clientId, out _);

    /// <summary>
    /// Sends <paramref name="refusal"/> to the session <paramref name="clientId"/> of <paramref name="deviceId"/>
    /// if it listens, and returns once it is on the wire (or after a few seconds if the device does not take it).
    /// </summary>
    public async Task TellAsync(MqttServer server, string clientId, string deviceId, DeviceRefusal refusal, CancellationToken cancellationToken)
    {
        if (!listening.TryGetValue(clientId, out var asked) || await server.GetSessionAsync(clientId) is not { } session)
        {
            return;
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(TopicOf(deviceId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(refusal, Json))
            .WithQualityOfServiceLevel(asked == MqttQualityOfServiceLevel.AtMostOnce ? asked : MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            await session.DeliverApplicationMessageAsync(message).WaitAsync(SendWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogRefusalNotTaken(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A device did not take the refusal sent to it within 5 s; its PUBACK goes out all the same")]
    private static partial void LogRefusalNotTaken(ILogger logger);
}
