using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace OpenWard.Cli.Bench;

/// <summary>
/// For a plain broker (no storage), the place readings should end up: Mosquitto's own command-line
/// subscribers (<c>mosquitto_sub</c>, from Debian's mosquitto-clients) sharing one MQTT 5
/// subscription to <c>devices/+/readings</c> (<c>$share/…</c>), each printing the topic of every
/// message it receives, counted here per device. They take a few per cent of a core, leaving the
/// machine to the broker and the load generator; subscribers in this process, with a
/// general-purpose MQTT client, took CPU from the broker they measured and lost what the broker
/// could no longer queue for them (194,000–598,000 messages a run at 60,000 msg/s).
/// </summary>
public sealed class PassThroughSubscriber : IAsyncDisposable
{
    private const int Connections = 2;
    private const string SharedTopic = "$share/openward-bench/devices/+/readings";
    private const string ReadyDevice = "openward-bench-ready";
    private readonly List<Process> processes = [];
    private readonly List<Task> readers = [];
    private readonly int readingsPerMessage;
    private readonly bool[] ready = new bool[Connections];

    private PassThroughSubscriber(int readingsPerMessage) => this.readingsPerMessage = readingsPerMessage;

    /// <summary>Readings delivered per device.</summary>
    public ConcurrentDictionary<string, long> DeliveredByDevice { get; } = new();

    /// <summary>Messages delivered so far, over all devices (read at the start and end of the measured window).</summary>
    public long MessagesDelivered => DeliveredByDevice.Values.Sum() / readingsPerMessage;

    /// <summary>Starts the subscribers and returns once each of them receives messages.</summary>
    public static async Task<PassThroughSubscriber> StartAsync(string host, int port, int readingsPerMessage, CancellationToken cancellationToken)
    {
        var subscriber = new PassThroughSubscriber(readingsPerMessage);
        for (var i = 0; i < Connections; i++)
        {
            subscriber.Start(i, host, port);
        }

        await subscriber.WaitUntilReceivingAsync(host, port, cancellationToken);
        return subscriber;
    }

    /// <summary>Waits until deliveries stop arriving (at most <paramref name="limit"/>).</summary>
    public async Task DrainAsync(TimeSpan limit)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        var last = -1L;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var total = MessagesDelivered;
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
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        await Task.WhenAll(readers);
        foreach (var process in processes)
        {
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    private void Start(int index, string host, int port)
    {
        var start = new ProcessStartInfo("mosquitto_sub")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-h", host, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv5", "-q", "1",
            "-i", $"openward-bench-subscriber-{index}", "-t", SharedTopic, "-F", "%t",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("mosquitto_sub was not found: the Mosquitto run needs Debian's mosquitto-clients (apt-get install mosquitto-clients).", e);
        }

        processes.Add(process);
        readers.Add(Task.Run(() => CountAsync(index, process.StandardOutput)));
        readers.Add(process.StandardError.ReadToEndAsync());
    }

    // One line per message: devices/{id}/readings.
    private async Task CountAsync(int index, StreamReader output)
    {
        while (await output.ReadLineAsync() is { } topic)
        {
            var id = topic["devices/".Length..topic.LastIndexOf('/')];
            if (id == ReadyDevice)
            {
                Volatile.Write(ref ready[index], true);
                continue;
            }

            DeliveredByDevice.AddOrUpdate(id, readingsPerMessage, (_, n) => n + readingsPerMessage);
        }
    }

    // A subscriber is ready once a message reaches it: the broker shares the subscription's messages
    // out in turn, so a few probe messages reach every subscriber that has subscribed.
    private async Task WaitUntilReceivingAsync(string host, int port, CancellationToken cancellationToken)
    {
        await using var probe = await BenchConnection.ConnectAsync(
            host, port, ReadyDevice, ReadyDevice, "unused", $"devices/{ReadyDevice}/readings", cancellationToken);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (ready.All(r => r))
            {
                return;
            }

            if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"mosquitto_sub exited with {exited.ExitCode} before subscribing.");
            }

            await probe.PublishAsync("[]"u8.ToArray(), atLeastOnce: true, cancellationToken);
            await Task.Delay(50, cancellationToken);
        }

        throw new InvalidOperationException("The pass-through subscribers did not start receiving within 10 seconds.");
    }
}
