using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet;
using MQTTnet.Protocol;

namespace OpenWard.Cli.Bench;

/// <summary>
/// Measures end-to-end alert latency under load: a few probe devices, each its own patient, press
/// their emergency button in turn while the benchmark's load runs; a console connected to the
/// alerts hub times each call from its publish to its alert's arrival. The console may be connected
/// to another node of a cluster than the probes, and when a node is lost the probe notes how long
/// until every probe patient is watched again (their calls raise alerts again).
/// </summary>
public sealed class AlertProbe : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly HubConnection hub;
    private readonly IReadOnlyList<(BenchDevice Device, IMqttClient Client)> probes;
    private readonly ConcurrentDictionary<string, (long SentAt, TaskCompletionSource Arrived)> pending = new(StringComparer.Ordinal);
    private readonly LatencyRecorder latencies = new();
    private readonly ConcurrentDictionary<string, long> lastCallAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> firstAlertAfterLoss = new(StringComparer.Ordinal);
    private long nodeLostAt;
    private int sent;
    private int missed;

    private AlertProbe(HubConnection hub, IReadOnlyList<(BenchDevice, IMqttClient)> probes)
    {
        this.hub = hub;
        this.probes = probes;
        hub.On<JsonElement>("alert", alert =>
        {
            if (alert.GetProperty("condition").GetString() != "emergency:emergency-call")
            {
                return;
            }

            var patientId = alert.GetProperty("patientId").GetString()!;
            var lost = Volatile.Read(ref nodeLostAt);
            if (lost != 0 && lastCallAt.TryGetValue(patientId, out var calledAt) && calledAt >= lost)
            {
                firstAlertAfterLoss.TryAdd(patientId, Stopwatch.GetTimestamp());
            }

            if (pending.TryRemove(patientId, out var call))
            {
                latencies.Record(Stopwatch.GetElapsedTime(call.SentAt));
                call.Arrived.TrySetResult();
            }
        });
    }

    /// <summary>Connects the probe devices over MQTT and the console to the hub.</summary>
    public static async Task<AlertProbe> ConnectAsync(
        Uri server, string accessToken, IReadOnlyList<BenchDevice> devices, string mqttHost, int mqttPort, CancellationToken cancellationToken)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/alerts"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken))
            .Build();
        await hub.StartAsync(cancellationToken);
        var probes = new List<(BenchDevice, IMqttClient)>();
        foreach (var device in devices)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer(mqttHost, mqttPort)
                .WithClientId(device.Id)
                .WithCredentials(device.Id, device.Secret)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .Build(), cancellationToken);
            probes.Add((device, client));
        }

        return new AlertProbe(hub, probes);
    }

    /// <summary>Presses the probes' buttons in turn, one call in flight at a time, until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var (device, client) = probes[i % probes.Count];
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var calledAt = Stopwatch.GetTimestamp();
            lastCallAt[device.PatientId] = calledAt;
            pending[device.PatientId] = (calledAt, arrived);
            var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic($"devices/{device.Id}/readings")
                .WithPayload($$"""[{"vital":"emergency-call","time":"{{time}}","value":1,"unit":"{event}"}]""")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), CancellationToken.None);
            sent++;
            try
            {
                await arrived.Task.WaitAsync(Patience, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                pending.TryRemove(device.PatientId, out _);
                missed++;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Marks the moment a node was lost: from here the probe waits for every probe patient's calls to raise alerts again.</summary>
    public void NodeLost() => Interlocked.CompareExchange(ref nodeLostAt, Stopwatch.GetTimestamp(), 0);

    /// <summary>
    /// After a node was lost: milliseconds from the loss until the last probe patient had an alert
    /// for a call made after it; null when no node was lost or some patient had none by the end.
    /// </summary>
    public double? MonitoringResumedAfterMs()
    {
        var lost = Volatile.Read(ref nodeLostAt);
        if (lost == 0 || probes.Any(p => !firstAlertAfterLoss.ContainsKey(p.Device.PatientId)))
        {
            return null;
        }

        return Stopwatch.GetElapsedTime(lost, firstAlertAfterLoss.Values.Max()).TotalMilliseconds;
    }

    /// <summary>The latencies measured, the calls sent and those whose alert never came.</summary>
    public (LatencySummary Latency, int Sent, int Missed) Results() => (latencies.Summarise(), sent, missed);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, client) in probes)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync();
            }

            client.Dispose();
        }

        await hub.DisposeAsync();
    }
}
