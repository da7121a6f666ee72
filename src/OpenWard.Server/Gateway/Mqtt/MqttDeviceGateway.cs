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
/// commit. Uploads are never forwarded to other clients.
/// </summary>
public sealed partial class MqttDeviceGateway(
    DeviceDirectory directory, DeviceGuard guard, DeviceConnectivity connectivity, DeviceModelDecoders models, IngestPipeline pipeline, TimeProvider clock,
    ILogger<MqttDeviceGateway> logger) : IDeviceSessions
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

        deviceByClientId[clientId] = deviceId;
        e.ReasonCode = MqttConnectReasonCode.Success;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        e.ProcessPublish = false;
        var deviceId = e.UserName;
        var topic = e.ApplicationMessage.Topic;
        var ownPrefix = "devices/" + deviceId + "/";
        if (string.IsNullOrEmpty(deviceId) || !topic.StartsWith(ownPrefix, StringComparison.Ordinal))
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = $"a device may publish only under {ownPrefix}";
            return;
        }

        if (!directory.IsActive(deviceId))
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = "device revoked";
            e.CloseConnection = true;
            return;
        }

        if (!guard.TryAcceptMessage(deviceId))
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
            e.Response.ReasonString = "the device is sending faster than its rate limit; nothing of this message was stored";
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
            e.Response.ReasonCode = MqttPubAckReasonCode.TopicNameInvalid;
            e.Response.ReasonString = $"unknown topic; publish readings to {ownPrefix}readings, {ownPrefix}messages (the device's own JSON) or {ownPrefix}{GattPrefix}{{characteristic}}";
            return;
        }

        try
        {
            var received = clock.GetUtcNow();
            var batch = decoder.Decode(payload, received);
            var outcome = await pipeline.IngestAsync(deviceId, batch, "mqtt", received, e.CancellationToken);
            if (outcome.PayloadProblem is not null)
            {
                e.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
                e.Response.ReasonString = outcome.Summary();
            }
            else if (!outcome.AllAccepted)
            {
                // The valid readings are stored; resending the whole message is safe because
                // duplicates are skipped.
                e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
                e.Response.ReasonString = outcome.Summary();
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

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var ownPrefix = "devices/" + e.UserName + "/";
        if (string.IsNullOrEmpty(e.UserName) || !e.TopicFilter.Topic.StartsWith(ownPrefix, StringComparison.Ordinal))
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            e.ReasonString = $"a device may subscribe only under {ownPrefix}";
        }

        return Task.CompletedTask;
    }

    // The address is not logged (it is personal data under GDPR); refusals are counted per address by the DeviceGuard.
    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection refused ({Outcome})")]
    private static partial void LogConnectRefused(ILogger logger, DeviceAuthentication outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing an MQTT upload failed; it was not acknowledged")]
    private static partial void LogIngestFailed(ILogger logger, Exception exception);
}
