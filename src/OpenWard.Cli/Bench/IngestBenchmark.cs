using System.Diagnostics;
using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace OpenWard.Cli.Bench;

/// <summary>
/// Many concurrent devices publishing device JSON over real MQTT connections at a set rate, each
/// message timed from publish to acknowledgement. Every reading has a distinct device time, so the
/// store must hold exactly what was acknowledged.
/// </summary>
public sealed class IngestBenchmark(IngestLoad load)
{
    private readonly LatencyRecorder latencies = new();
    private long messagesAcknowledged;
    private long readingsAcknowledged;
    private long messagesRefused;

    // Publishes from this Stopwatch timestamp on are measured; those before it only warm the server up.
    private long measuredFrom;

    /// <summary>Acknowledged readings per device, for verification against the store.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> AcknowledgedByDevice { get; } = new();

    /// <summary>Messages acknowledged so far (for a progress display).</summary>
    public long MessagesAcknowledged => Interlocked.Read(ref messagesAcknowledged);

    /// <summary>Connects every device, publishes for the warm-up and then the measured duration, and returns the figures.</summary>
    public async Task<IngestReport> RunAsync(IReadOnlyList<BenchDevice> devices, Func<Task>? onPublishingStarted, CancellationToken cancellationToken)
    {
        var clients = new IMqttClient[devices.Count];
        await Parallel.ForAsync(0, devices.Count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            clients[i] = new MqttClientFactory().CreateMqttClient();
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer(load.MqttHost, load.MqttPort)
                .WithClientId(devices[i].Id)
                .WithCredentials(devices[i].Id, devices[i].Secret)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .WithTimeout(TimeSpan.FromSeconds(60))
                .Build();
            var result = await clients[i].ConnectAsync(options, ct);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"device {devices[i].Id} could not connect: {result.ResultCode}");
            }
        });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(load.Warmup + load.Duration);
        measuredFrom = load.Warmup > TimeSpan.Zero ? long.MaxValue : Stopwatch.GetTimestamp();
        // Devices on a fixed rate start spread over one interval, as real devices do, not in lockstep.
        var spread = load.MessagesPerDevicePerSecond > 0 ? TimeSpan.FromSeconds(1 / load.MessagesPerDevicePerSecond) : TimeSpan.Zero;
        var publishing = Task.WhenAll(devices.Select((device, i) => Task.Run(
            () => PublishAsync(device, clients[i], spread * i / devices.Count, stop.Token), CancellationToken.None)));
        if (load.Warmup > TimeSpan.Zero)
        {
            await Task.WhenAny(publishing, Task.Delay(load.Warmup, cancellationToken));
            Volatile.Write(ref measuredFrom, Stopwatch.GetTimestamp());
        }

        if (onPublishingStarted is not null)
        {
            await onPublishingStarted();
        }

        var clock = Stopwatch.StartNew();
        await publishing;
        var seconds = clock.Elapsed.TotalSeconds;

        foreach (var client in clients)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(cancellationToken: CancellationToken.None);
            }

            client.Dispose();
        }

        return new IngestReport
        {
            Broker = "openward",
            Load = load,
            Seconds = seconds,
            MessagesAcknowledged = messagesAcknowledged,
            ReadingsAcknowledged = readingsAcknowledged,
            MessagesRefused = messagesRefused,
            PublishToAcknowledgeMs = latencies.Summarise(),
        };
    }

    private async Task PublishAsync(BenchDevice device, IMqttClient client, TimeSpan phase, CancellationToken stop)
    {
        var topic = $"devices/{device.Id}/readings";
        // Distinct, past device times: one millisecond apart, starting a day ago.
        var time = DateTimeOffset.UtcNow.AddDays(-1);
        var payload = new StringBuilder(load.ReadingsPerMessage * 80);
        var started = Stopwatch.GetTimestamp() + (long)(phase.TotalSeconds * Stopwatch.Frequency);
        long sent = 0;
        long acknowledged = 0;
        while (!stop.IsCancellationRequested)
        {
            if (load.MessagesPerDevicePerSecond > 0)
            {
                var due = TimeSpan.FromSeconds(sent / load.MessagesPerDevicePerSecond) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(due, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            payload.Clear().Append('[');
            for (var r = 0; r < load.ReadingsPerMessage; r++)
            {
                time = time.AddMilliseconds(1);
                payload.Append(r == 0 ? "" : ",")
                    .Append(CultureInfo.InvariantCulture, $"{{\"vital\":\"heart-rate\",\"time\":\"{time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}\",\"value\":{60 + (sent + r) % 40},\"unit\":\"/min\"}}");
            }

            payload.Append(']');
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload.ToString())
                .WithQualityOfServiceLevel(load.Qos)
                .Build();
            sent++;
            var publishedAt = Stopwatch.GetTimestamp();
            try
            {
                // The publish is never cancelled half-way: a message sent is waited for.
                var result = await client.PublishAsync(message, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
                var measured = publishedAt >= Volatile.Read(ref measuredFrom);
                if (measured)
                {
                    latencies.Record(Stopwatch.GetElapsedTime(publishedAt));
                }

                if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    if (measured)
                    {
                        Interlocked.Increment(ref messagesAcknowledged);
                        Interlocked.Add(ref readingsAcknowledged, load.ReadingsPerMessage);
                    }

                    acknowledged += load.ReadingsPerMessage;
                }
                else
                {
                    Interlocked.Increment(ref messagesRefused);
                }
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or TimeoutException)
            {
                Interlocked.Increment(ref messagesRefused);
                break;
            }
        }

        AcknowledgedByDevice[device.Id] = acknowledged;
    }
}
