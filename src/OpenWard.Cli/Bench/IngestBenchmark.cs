using System.Diagnostics;
using System.Globalization;
using MQTTnet.Protocol;

namespace OpenWard.Cli.Bench;

/// <summary>
/// Many concurrent devices publishing device JSON over real MQTT connections at a set rate, each
/// message timed from publish to acknowledgement. Every reading has a distinct device time, so the
/// store must hold exactly what was acknowledged. Spread over the nodes of a cluster
/// (<see cref="IngestLoad.Nodes"/>), a device whose node is lost reconnects to the next and publishes
/// again what went unacknowledged; the time until it is acknowledged again is its failover.
/// </summary>
public sealed class IngestBenchmark(IngestLoad load)
{
    private readonly LatencyRecorder latencies = new();
    private long messagesAcknowledged;
    private long readingsAcknowledged;
    private long messagesRefused;
    private readonly LatencyRecorder failovers = new();
    private int devicesCutOff;
    private int devicesBack;

    // The Stopwatch timestamp at which a node was lost (0 until then): failovers are timed from it.
    private long nodeLostAt;

    // Publishes from this Stopwatch timestamp on are measured; those before it only warm the server up.
    private long measuredFrom;

    /// <summary>Acknowledged readings per device, for verification against the store.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> AcknowledgedByDevice { get; } = new();

    /// <summary>Messages acknowledged so far (for a progress display).</summary>
    public long MessagesAcknowledged => Interlocked.Read(ref messagesAcknowledged);

    /// <summary>Marks the moment a node was lost (the benchmark killed it): its devices' failover is timed from here.</summary>
    public void NodeLost() => Interlocked.CompareExchange(ref nodeLostAt, Stopwatch.GetTimestamp(), 0);

    /// <summary>Connects every device, publishes for the warm-up and then the measured duration, and returns the figures.</summary>
    public async Task<IngestReport> RunAsync(IReadOnlyList<BenchDevice> devices, Func<Task>? onPublishingStarted, CancellationToken cancellationToken)
    {
        var connections = new BenchConnection[devices.Count];
        await Parallel.ForAsync(0, devices.Count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var endpoint = load.EndpointOf(i);
            try
            {
                connections[i] = await BenchConnection.ConnectAsync(
                    endpoint.Host, endpoint.Port, devices[i].Id, devices[i].Id, devices[i].Secret, $"devices/{devices[i].Id}/readings", ct);
            }
            catch (Exception e) when (e is BenchConnectionException or System.Net.Sockets.SocketException)
            {
                throw new InvalidOperationException($"device {devices[i].Id} could not connect: {e.Message}", e);
            }
        });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(load.Warmup + load.Duration);
        measuredFrom = load.Warmup > TimeSpan.Zero ? long.MaxValue : Stopwatch.GetTimestamp();
        // Devices on a fixed rate start spread over one interval, as real devices do, not in lockstep.
        var spread = load.MessagesPerDevicePerSecond > 0 ? TimeSpan.FromSeconds(1 / load.MessagesPerDevicePerSecond) : TimeSpan.Zero;
        var publishing = Task.WhenAll(devices.Select((device, i) => Task.Run(
            () => PublishAsync(device, connections, i, spread * i / devices.Count, stop.Token), CancellationToken.None)));
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

        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
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
            Failover = devicesCutOff > 0 ? new FailoverReport(devicesCutOff, devicesBack, failovers.Summarise()) : null,
        };
    }

    private async Task PublishAsync(BenchDevice device, BenchConnection[] connections, int index, TimeSpan phase, CancellationToken stop)
    {
        // Distinct, past device times: one millisecond apart, starting a day ago.
        var time = DateTimeOffset.UtcNow.AddDays(-1);
        // About 80 bytes a reading; room to spare.
        var payload = new byte[load.ReadingsPerMessage * 96 + 2];
        var atLeastOnce = load.Qos != MqttQualityOfServiceLevel.AtMostOnce;
        var started = Stopwatch.GetTimestamp() + (long)(phase.TotalSeconds * Stopwatch.Frequency);
        long sent = 0;
        long acknowledged = 0;
        var length = 0;
        // Set while the device's node is lost: when it was cut off, and that the message is to be sent again.
        long cutOffAt = 0;
        while (!stop.IsCancellationRequested)
        {
            if (cutOffAt == 0)
            {
                if (!await WaitForTurnAsync(started, sent, stop))
                {
                    break;
                }

                length = Readings(payload, ref time, sent);
                sent++;
            }

            var publishedAt = Stopwatch.GetTimestamp();
            try
            {
                // The publish is never cancelled half-way: a message sent is waited for.
                var reason = await connections[index].PublishAsync(payload.AsMemory(0, length), atLeastOnce, CancellationToken.None)
                    .WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
                if (cutOffAt != 0)
                {
                    RecordFailover(cutOffAt);
                    cutOffAt = 0;
                }

                var measured = publishedAt >= Volatile.Read(ref measuredFrom);
                if (measured)
                {
                    latencies.Record(Stopwatch.GetElapsedTime(publishedAt));
                }

                // MQTT 5 reason codes below 0x80 are successes.
                if (reason < 0x80)
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
            catch (Exception e) when (e is BenchConnectionException or System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                if (load.Nodes.Count < 2 && !load.Reconnects)
                {
                    Interlocked.Increment(ref messagesRefused);
                    break;
                }

                // The node (or what it depends on) is gone and the message unacknowledged: the device keeps it
                // and sends it again, through another node when there is one.
                if (cutOffAt == 0)
                {
                    cutOffAt = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref devicesCutOff);
                }

                // Back to the same broker, which cannot store yet: a pause, so that devices do not spin.
                if (load.Nodes.Count < 2 && !await PauseAsync(TimeSpan.FromMilliseconds(100), stop))
                {
                    break;
                }

                var next = await ReconnectAsync(device, index, stop);
                await connections[index].DisposeAsync();
                if (next is null)
                {
                    break;
                }

                connections[index] = next;
            }
        }

        AcknowledgedByDevice[device.Id] = acknowledged;
    }

    // Waits until the device's next message is due at the load's rate; false when the run ends first.
    private async Task<bool> WaitForTurnAsync(long started, long sent, CancellationToken stop)
    {
        if (load.MessagesPerDevicePerSecond <= 0)
        {
            return true;
        }

        var due = TimeSpan.FromSeconds(sent / load.MessagesPerDevicePerSecond) - Stopwatch.GetElapsedTime(started);
        if (due <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(due, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> PauseAsync(TimeSpan pause, CancellationToken stop)
    {
        try
        {
            await Task.Delay(pause, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // Connects to the other nodes in turn, the lost one last, pausing a little longer after each failure.
    private async Task<BenchConnection?> ReconnectAsync(BenchDevice device, int index, CancellationToken stop)
    {
        for (var attempt = 1; !stop.IsCancellationRequested; attempt++)
        {
            var endpoint = load.EndpointOf(index + attempt);
            try
            {
                using var patience = CancellationTokenSource.CreateLinkedTokenSource(stop);
                patience.CancelAfter(TimeSpan.FromSeconds(5));
                return await BenchConnection.ConnectAsync(
                    endpoint.Host, endpoint.Port, device.Id, device.Id, device.Secret, $"devices/{device.Id}/readings", patience.Token);
            }
            catch (Exception e) when (e is BenchConnectionException or System.Net.Sockets.SocketException or IOException or OperationCanceledException)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Min(attempt, 10)), stop);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }

        return null;
    }

    // From the node's loss when the benchmark caused it (and the device noticed after), else from when the device noticed.
    private void RecordFailover(long cutOffAt)
    {
        var lost = Volatile.Read(ref nodeLostAt);
        failovers.Record(Stopwatch.GetElapsedTime(lost != 0 && lost <= cutOffAt ? lost : cutOffAt));
        Interlocked.Increment(ref devicesBack);
    }

    // One message of device JSON v1: heart rates one millisecond apart, written straight into the buffer.
    private int Readings(byte[] payload, ref DateTimeOffset time, long sent)
    {
        var span = payload.AsSpan();
        span[0] = (byte)'[';
        var at = 1;
        for (var r = 0; r < load.ReadingsPerMessage; r++)
        {
            time = time.AddMilliseconds(1);
            if (r > 0)
            {
                span[at++] = (byte)',';
            }

            if (!System.Text.Unicode.Utf8.TryWrite(span[at..], CultureInfo.InvariantCulture,
                $"{{\"vital\":\"heart-rate\",\"time\":\"{time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}\",\"value\":{60 + (sent + r) % 40},\"unit\":\"/min\"}}", out var written))
            {
                throw new InvalidOperationException("a benchmark reading did not fit its buffer");
            }

            at += written;
        }

        span[at++] = (byte)']';
        return at;
    }
}
