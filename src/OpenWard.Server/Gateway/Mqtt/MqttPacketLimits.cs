using Microsoft.AspNetCore.Connections;
using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Server.Gateway.Mqtt;

/// <summary>
/// The largest MQTT packets the broker takes, enforced in front of it on each MQTT listener: a
/// packet whose fixed header announces more is refused before its body is read, and the
/// connection closed. MQTTnet itself reads a whole packet, whatever its announced length, before
/// anything can look at it.
/// </summary>
public static partial class MqttPacketLimits
{
    /// <summary>
    /// The largest CONNECT (remaining length, in bytes). It arrives before the peer is
    /// authenticated, and a device id, secret, client id and a small will fit in far less.
    /// </summary>
    public const int MaxConnectBytes = 8 * 1024;

    /// <summary>
    /// The largest packet after CONNECT (remaining length, in bytes): a payload of
    /// <see cref="DeviceJsonFormat.MaxPayloadBytes"/> with room for its topic and properties. A
    /// payload over its own limit but within this one is still answered with its reason.
    /// </summary>
    public const int MaxPacketBytes = DeviceJsonFormat.MaxPayloadBytes + 128 * 1024;

    /// <summary>Puts the limits in front of the connection handler added next (<c>UseMqtt()</c>).</summary>
    public static IConnectionBuilder UseMqttPacketLimits(this IConnectionBuilder connections)
    {
        var logger = connections.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MqttPacketLimits));
        return connections.Use(next => async connection =>
        {
            var transport = connection.Transport;
            var scanner = new MqttFixedHeaderScanner(MaxConnectBytes, MaxPacketBytes);
            var input = new MqttPacketLimitReader(transport.Input, scanner, () =>
            {
                LogPacketTooLarge(logger, scanner.PacketType, scanner.AnnouncedLength, scanner.Limit);
                connection.Abort(new ConnectionAbortedException("MQTT packet larger than the limit"));
            });
            connection.Transport = new LimitedTransport(input, transport.Output);
            try
            {
                await next(connection);
            }
            finally
            {
                connection.Transport = transport;
            }
        });
    }

    // The address is not logged (it is personal data under GDPR).
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "MQTT connection closed: a packet of type {PacketType} announced at least {Length} bytes, more than the {Limit} allowed")]
    private static partial void LogPacketTooLarge(ILogger logger, int packetType, int length, int limit);

    private sealed class LimitedTransport(System.IO.Pipelines.PipeReader input, System.IO.Pipelines.PipeWriter output) : System.IO.Pipelines.IDuplexPipe
    {
        public System.IO.Pipelines.PipeReader Input => input;

        public System.IO.Pipelines.PipeWriter Output => output;
    }
}
