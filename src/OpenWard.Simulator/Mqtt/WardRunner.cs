using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Ward;

namespace OpenWard.Simulator.Mqtt;

/// <summary>
/// Drives a simulated ward against an OpenWard server over real MQTT: one connection per device
/// with its own credentials, a step every second, QoS 1 uploads, disconnects while a device is
/// offline and reconnects when it is back: at once if it holds its connection (wearables, oximeters,
/// pendants), or with its buffered readings when it next has something to send (spot-check devices).
/// </summary>
public sealed class WardRunner(SimulatedWard ward, IReadOnlyDictionary<string, DeviceCredential> credentials, string host, int port, TimeProvider clock)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IMqttClient> clients = new();

    /// <summary>Live counters.</summary>
    public SimulationStatistics Statistics { get; } = new();

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Parallel.ForEachAsync(ward.Devices, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (device, ct) => await ConnectAsync(device, ct));
            using var timer = new PeriodicTimer(Step, clock);
            do
            {
                var now = clock.GetUtcNow();
                await Parallel.ForEachAsync(ward.Devices, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
                    async (device, ct) => await StepAsync(device, now, ct));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    private async Task StepAsync(SimulatedDevice device, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wasOnline = device.Online;
        var uploads = device.Step(now);
        var client = clients[device.Id];
        if (wasOnline && !device.Online && client.IsConnected)
        {
            await client.DisconnectAsync(cancellationToken: cancellationToken);
            Statistics.Disconnected();
            return;
        }

        if (!client.IsConnected && device.ConnectsNow(uploads.Count > 0))
        {
            await ConnectAsync(device, cancellationToken);
            Statistics.Reconnected();
        }

        foreach (var readings in uploads)
        {
            await PublishAsync(device.Id, client, readings, cancellationToken);
        }
    }

    private async Task PublishAsync(string deviceId, IMqttClient client, IReadOnlyList<SimulatedReading> readings, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic($"devices/{deviceId}/readings")
            .WithPayload(DeviceJson.Serialize(readings))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var result = await client.PublishAsync(message, timeout.Token);
            if (result.ReasonCode == MqttClientPublishReasonCode.Success)
            {
                Statistics.Acknowledged(readings.Count);
            }
            else
            {
                Statistics.Refused();
            }
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            Statistics.Refused();
        }
    }

    private async Task ConnectAsync(SimulatedDevice device, CancellationToken cancellationToken)
    {
        var client = clients.GetOrAdd(device.Id, _ => new MqttClientFactory().CreateMqttClient());

        var credential = credentials[device.Id];
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(device.Id)
            .WithCredentials(credential.DeviceId, credential.Secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(Timeout)
            .Build();
        var result = await client.ConnectAsync(options, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"simulated device {device.Id} could not connect: {result.ResultCode}");
        }

        Statistics.Connected();
    }
}
