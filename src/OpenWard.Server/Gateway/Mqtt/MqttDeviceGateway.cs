using System.Collections.Concurrent;
using MQTTnet.Protocol;
using MQTTnet.Server;
using OpenWard.Core.Bluetooth;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Server.DeviceModels;
using OpenWard.Server.Devices;
using OpenWard.Server.Ingest;

namespace OpenWard.Server.Gateway.Mqtt;

/// <summary>
/// The broker's rules for devices: authenticate at CONNECT (user name = device id, password =
/// secret), let a device publish and subscribe only under <c>devices/{its id}/</c>, hand each
/// payload (<c>readings</c>, <c>messages</c> in the device's own JSON, <c>gatt/{uuid}</c>) to its decoder and then the <see cref="IngestPipeline"/>, and answer the QoS 1 PUBACK only after the
/// commit. Uploads are never forwarded to other clients. A device may subscribe only to its own
/// <c>devices/{id}/refusals</c>, where it hears why a message was refused (<see cref="DeviceRefusals"/>);
/// a publish on another device's topic is refused, dead-lettered without its payload and counted.
/// </summary>
public sealed partial class MqttDeviceGateway(
    DeviceDirectory directory, DeviceGuard guard, DeviceConnectivity connectivity, DeviceModelDecoders models, IngestPipeline pipeline,
    DeviceRefusals refusals, TimeProvider clock, ILogger<MqttDeviceGateway> logger) : IDeviceSessions
{
    private const string GattPrefix = "gatt/";

    /// <summary>
    /// Separates a device id from a suffix in an MQTT client id (<c>oxi-1:uplink</c>), so that one
    /// device may hold several sessions; device ids never contain it.
    /// </summary>
    public const char ClientIdSuffixSeparator = ':';
    private readonly ConcurrentDictionary<string, string> deviceByClientId = new(StringComparer.Ordinal);
    private MqttServer? server;

    /// <summary>Subscribes the gateway to the broker's hooks.</summary>
    public void Attach(MqttServer mqttServer)
    {
        server = mqttServer;
        mqttServer.ValidatingConnectionAsync += ValidateConnectionAsync;
        mqttServer.InterceptingPublishAsync += InterceptPublishAsync;
        mqttServer.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        mqttServer.InterceptingUnsubscriptionAsync += e =>
        {
            if (e.Topic == DeviceRefusals.TopicOf(e.UserName ?? ""))
            {
                refusals.Forget(e.ClientId);
            }

            return Task.CompletedTask;
        };
        mqttServer.SessionDeletedAsync += e =>
        {
            refusals.Forget(e.Id);
            return Task.CompletedTask;
        };
        mqttServer.ClientConnectedAsync += e =>
        {
            if (deviceByClientId.TryGetValue(e.ClientId, out var deviceId))
            {
                connectivity.Connected(deviceId);
            }

            return Task.CompletedTask;
        };
        mqttServer.ClientDisconnectedAsync += e =>
        {
            // A session taken over by a new connection with the same client id keeps the id's entry for the new one.
            var deviceId = e.DisconnectType == MqttClientDisconnectType.Takeover
                ? deviceByClientId.GetValueOrDefault(e.ClientId)
                : deviceByClientId.TryRemove(e.ClientId, out var removed) ? removed : null;
            if (deviceId is not null)
            {
                connectivity.Disconnected(deviceId, connectivity.Now);
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// The first step of a graceful stop: refuses new connections and disconnects every device, telling
    /// each (on MQTT 5) that the server is shutting down. A publish not yet acknowledged is not lost: the
    /// device sends it again when it reconnects. Returns how many connections were closed.
    /// </summary>
    public async Task<int> CloseAllAsync()
    {
        if (server is null)
        {
            return 0;
        }

        server.AcceptNewConnections = false;
        var sessions = await server.GetClientsAsync();
        await Task.WhenAll(sessions.Select(session => session.DisconnectAsync(new MqttServerClientDisconnectOptions
        {
            ReasonCode = MqttDisconnectReasonCode.ServerShuttingDown,
            ReasonString = "OpenWard is stopping; connect again in a moment",
        })));
        return sessions.Count;
    }

    /// <summary>Disconnects every session of a device (after it was revoked or its secret rotated).</summary>
    public Task DisconnectDeviceAsync(string deviceId, string reason) => DisconnectAsync(deviceId, MqttDisconnectReasonCode.NotAuthorized, reason);

    /// <summary>Disconnects every session of a device that connected again through another node, as a broker does when a client id connects again.</summary>
    public Task HandOverDeviceAsync(string deviceId) =>
        DisconnectAsync(deviceId, MqttDisconnectReasonCode.SessionTakenOver, "connected again through another OpenWard node");

    private async Task DisconnectAsync(string deviceId, MqttDisconnectReasonCode code, string reason)
    {
        if (server is null)
        {
            return;
        }

        foreach (var (clientId, owner) in deviceByClientId)
        {
            if (owner == deviceId)
            {
                await server.DisconnectClientAsync(clientId, new MqttServerClientDisconnectOptions
                {
                    ReasonCode = code,
                    ReasonString = reason,
                });
            }
        }
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var deviceId = e.UserName;
        if (string.IsNullOrEmpty(deviceId))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            e.ReasonString = "user name (the device id) and password (the device secret) are required";
            return;
        }

        var address = (e.RemoteEndPoint as System.Net.IPEndPoint)?.Address.ToString();
        var authentication = await guard.SignInAsync(deviceId, e.Password, address, e.CancellationToken);
        if (authentication != DeviceAuthentication.Accepted)
        {
            LogConnectRefused(logger, authentication);
            (e.ReasonCode, e.ReasonString) = authentication switch
            {
                DeviceAuthentication.Revoked => (MqttConnectReasonCode.NotAuthorized, "device revoked"),
                // Not Banned: the device is not refused for good, and with the right secret it is accepted once the wait is over.
                DeviceAuthentication.BackingOff => (MqttConnectReasonCode.ConnectionRateExceeded,
                    $"too many failed attempts for this device from this address; retry in {Math.Ceiling(guard.BackOffRemaining(deviceId, address).TotalSeconds):0} s"),
                DeviceAuthentication.TooManyRequests => (MqttConnectReasonCode.ConnectionRateExceeded, "too many connections from this address; try again shortly"),
                _ => (MqttConnectReasonCode.BadUserNameOrPassword, null),
            };
            return;
        }

        // A device with a pinned certificate must present exactly that one over TLS, besides its secret.
        if (directory.PinnedCertificateOf(deviceId) is { } pinned
            && !CertificatePin.IsPresented(pinned, e.ChannelAdapter.ClientCertificate))
        {
            LogConnectRefused(logger, DeviceAuthentication.WrongCertificate);
            e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            e.ReasonString = "this device must present its pinned client certificate over TLS";
            return;
        }

        // A device's session belongs to it alone: its client id is empty (assigned here), its
        // device id, or its device id with a suffix after a separator that no device id contains.
        // With '-' (allowed in ids) device "ward7" could take over the session of "ward7-oxi".
        var clientId = e.ClientId;
        if (string.IsNullOrEmpty(clientId))
        {
            clientId = deviceId;
            e.AssignedClientIdentifier = clientId;
        }
        else if (clientId != deviceId && !clientId.StartsWith(deviceId + ClientIdSuffixSeparator, StringComparison.Ordinal))
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            e.ReasonString = $"client id must be empty, the device id, or the device id followed by '{ClientIdSuffixSeparator}' and a suffix";
            return;
        }

        // A clean start has no subscriptions: it hears refusals only once it subscribes again.
        if (e.CleanSession is true)
        {
            refusals.Forget(clientId);
        }

        deviceByClientId[clientId] = deviceId;
        e.ReasonCode = MqttConnectReasonCode.Success;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        e.ProcessPublish = false;
        var deviceId = e.UserName;
        var topic = e.ApplicationMessage.Topic;
        var ownPrefix = "devices/" + deviceId + "/";
        if (string.IsNullOrEmpty(deviceId))
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = "only a signed-in device may publish";
            return;
        }

        if (!directory.IsActive(deviceId))
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = "device revoked";
            e.CloseConnection = true;
            return;
        }

        var received = clock.GetUtcNow();
        if (!guard.TryAcceptMessage(deviceId))
        {
            await RefuseAsync(e, deviceId, received, MqttPubAckReasonCode.QuotaExceeded,
                "the device is sending faster than its rate limit; nothing of this message was stored");
            return;
        }

        if (!topic.StartsWith(ownPrefix, StringComparison.Ordinal))
        {
            // Another device's topic (or none's): refused, kept as a dead letter without the payload, counted for the device's status.
            LogForeignTopic(logger);
            var reason = await pipeline.RefuseTopicAsync(deviceId, "mqtt", topic, received, e.CancellationToken);
            await RefuseAsync(e, deviceId, received, MqttPubAckReasonCode.NotAuthorized, reason);
            return;
        }

        connectivity.Seen(deviceId);

        var subtopic = topic[ownPrefix.Length..];
        var payload = e.ApplicationMessage.Payload;
        IPayloadDecoder<DecodedBatch> decoder;
        if (subtopic == "readings")
        {
            decoder = DeviceJsonDecoder.Instance;
        }
        else if (subtopic == "messages")
        {
            decoder = models.For(deviceId);
        }
        else if (subtopic.StartsWith(GattPrefix, StringComparison.Ordinal) && subtopic.Length > GattPrefix.Length)
        {
            decoder = new GattPayloadDecoder(subtopic[GattPrefix.Length..]);
        }
        else
        {
            await RefuseAsync(e, deviceId, received, MqttPubAckReasonCode.TopicNameInvalid,
                $"unknown topic; publish readings to {ownPrefix}readings, {ownPrefix}messages (the device's own JSON) or {ownPrefix}{GattPrefix}{{characteristic}}");
            return;
        }

        try
        {
            var batch = decoder.Decode(payload, received);
            var outcome = await pipeline.IngestAsync(deviceId, batch, "mqtt", received, e.CancellationToken);
            if (outcome.PayloadProblem is not null)
            {
                await RefuseAsync(e, deviceId, received, MqttPubAckReasonCode.PayloadFormatInvalid, outcome.Summary());
            }
            else if (!outcome.AllAccepted)
            {
                // The valid readings are stored; resending the whole message is safe because
                // duplicates are skipped.
                await RefuseAsync(e, deviceId, received, MqttPubAckReasonCode.ImplementationSpecificError, outcome.Summary(),
                    [.. outcome.Refused.Select(r => new RefusedItem(r.Index, r.Reason))]);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Not stored: never acknowledge. Closing the connection makes the device resend.
            LogIngestFailed(logger, exception);
            e.Response.ReasonCode = MqttPubAckReasonCode.UnspecifiedError;
            e.CloseConnection = true;
        }
    }

    /// <summary>Refuses the message with a reason code and string (which MQTT 5 carries), and tells the device on its refusals topic too (which reaches 3.1.1).</summary>
    private async Task RefuseAsync(
        InterceptingPublishEventArgs e, string deviceId, DateTimeOffset received, MqttPubAckReasonCode code, string reason, IReadOnlyList<RefusedItem>? items = null)
    {
        e.Response.ReasonCode = code;
        e.Response.ReasonString = reason;
        if (server is not null)
        {
            await refusals.TellAsync(server, e.ClientId, deviceId, new DeviceRefusal(e.ApplicationMessage.Topic, received, reason, items ?? []), e.CancellationToken);
        }
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var own = DeviceRefusals.TopicOf(e.UserName ?? "");
        if (string.IsNullOrEmpty(e.UserName) || e.TopicFilter.Topic != own)
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            e.ReasonString = $"a device may subscribe only to its refusals, {own}";
            return Task.CompletedTask;
        }

        refusals.Subscribed(e.ClientId, e.TopicFilter.QualityOfServiceLevel);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A device published on another device's topic; refused and dead-lettered without its payload")]
    private static partial void LogForeignTopic(ILogger logger);

    // The address is not logged (it is personal data under GDPR); refusals are counted per address by the DeviceGuard.
    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection refused ({Outcome})")]
    private static partial void LogConnectRefused(ILogger logger, DeviceAuthentication outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing an MQTT upload failed; it was not acknowledged")]
    private static partial void LogIngestFailed(ILogger logger, Exception exception);
}
