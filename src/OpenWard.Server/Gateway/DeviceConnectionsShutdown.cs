using OpenWard.Server.Devices;
using OpenWard.Server.Gateway.Mqtt;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Gateway;

/// <summary>
/// Closes the devices' MQTT connections as the server begins to stop, before the listeners stop: the
/// host waits for open connections before it stops the rest, and a device holds its connection until
/// told to go, so the stop would otherwise wait out its whole shutdown time and cut the Orleans silo
/// short. HL7 senders on MLLP are let go by their listener (<see cref="Mllp.MllpConnectionHandler"/>) as
/// soon as they are between messages.
/// </summary>
public sealed partial class DeviceConnectionsShutdown(MqttDeviceGateway mqtt, DeviceConnectivity connectivity, ILogger<DeviceConnectionsShutdown> logger)
    : HostMoments
{
    /// <inheritdoc />
    public override async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Closed by the server, not gone: the devices' last written status says connected, whichever part writes it first.
        connectivity.ClosingAllConnections();
        var closed = await mqtt.CloseAllAsync().WaitAsync(cancellationToken);
        LogStopping(logger, closed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OpenWard stopping: {Connections} MQTT device connections closed, new ones refused")]
    private static partial void LogStopping(ILogger logger, int connections);
}
