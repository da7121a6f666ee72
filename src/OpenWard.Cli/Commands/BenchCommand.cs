using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MQTTnet.Protocol;
using OpenWard.Cli.Api;
using OpenWard.Cli.Bench;
using Spectre.Console;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward bench ingest</c>: sustained MQTT ingest against a running server, verified against its store.</summary>
public static class BenchCommand
{
    private static readonly JsonSerializerOptions ReportJson = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var devices = new Option<int>("--devices") { Description = "Concurrent device connections", DefaultValueFactory = _ => 100 };
        var rate = new Option<double>("--rate") { Description = "Messages per device per second (0: next message as soon as the last is acknowledged)", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch") { Description = "Readings per message", DefaultValueFactory = _ => 1 };
        var qos = new Option<int>("--qos") { Description = "MQTT QoS (0 or 1)", DefaultValueFactory = _ => 1 };
        var duration = new Option<double>("--duration") { Description = "Seconds to publish", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup")
        {
            Description = "Seconds to publish before measuring (the server activates each patient's monitoring on their first reading)",
            DefaultValueFactory = _ => 0,
        };
        var mqttHost = new Option<string>("--mqtt-host") { Description = "MQTT host", DefaultValueFactory = _ => "127.0.0.1" };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "MQTT port", DefaultValueFactory = _ => 1883 };
        var serverPid = new Option<int?>("--server-pid") { Description = "Server process id for CPU and memory (default: found by name)" };
        var broker = new Option<string>("--broker")
        {
            Description = "openward (readings stored and verified through the API) or mosquitto (plain pass-through broker: a subscriber counts deliveries)",
            DefaultValueFactory = _ => "openward",
        };
        broker.AcceptOnlyFromAmong("openward", "mosquitto");
        var alertProbes = new Option<int>("--alert-probes")
        {
            Description = "Also measure publish→alert latency: this many extra devices press their emergency button in turn, timed to the alerts hub (openward only)",
            DefaultValueFactory = _ => 0,
        };

        var nodes = new Option<string?>("--nodes")
        {
            Description = "A cluster's MQTT listeners as host:port,host:port,…: devices are spread over them, and a device whose node is lost reconnects to the next (the alert probes use the first)",
        };
        var alertConsole = new Option<string?>("--alert-console")
        {
            Description = "The server whose alerts hub times the alert probes (default --server): another node of a cluster, to measure alerts across nodes",
        };
        var killPid = new Option<int?>("--kill-pid") { Description = "A node's process to kill (SIGKILL) during the measured run, to time its devices' failover; not the first of --nodes" };
        var loseWith = new Option<string?>("--lose-with")
        {
            Description = "A shell command run during the measured run to take away what the server depends on (e.g. stop its database's primary); "
                + "devices whose connection closes reconnect and send again, timed from when the command started",
        };
        var killAfter = new Option<double>("--kill-after") { Description = "Seconds into the measured run at which --kill-pid is killed or --lose-with run", DefaultValueFactory = _ => 10 };

        var ingest = new Command("ingest", "Drive a running server with concurrent MQTT devices; report rates, latency, CPU and memory; verify the store")
        {
            devices, rate, batch, qos, duration, warmup, mqttHost, mqttPort, serverPid, broker, alertProbes, nodes, alertConsole, killPid, loseWith, killAfter,
        };
        ingest.SetAction(async (parse, ct) =>
        {
            var load = new IngestLoad
            {
                Devices = parse.GetValue(devices),
                MessagesPerDevicePerSecond = parse.GetValue(rate),
                ReadingsPerMessage = parse.GetValue(batch),
                Qos = parse.GetValue(qos) == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce,
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                Warmup = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(warmup))),
                MqttHost = parse.GetValue(mqttHost)!,
                MqttPort = parse.GetValue(mqttPort),
            };
            try
            {
                load = load with { Nodes = ParseNodes(parse.GetValue(nodes)), Reconnects = parse.GetValue(loseWith) is not null };
                var target = parse.GetValue(broker)!;
                using var api = target == "openward" ? GlobalOptions.Connect(parse) : null;
                var probe = ServerProcessProbe.Find(parse.GetValue(serverPid), target == "openward" ? "OpenWard.Server" : "mosquitto");
                var alerting = new AlertProbing(target == "openward" ? parse.GetValue(alertProbes) : 0, ParseServer(parse.GetValue(alertConsole) ?? parse.GetValue(GlobalOptions.Server)));
                var loss = NodeLoss.From(parse.GetValue(killPid), parse.GetValue(loseWith), parse.GetValue(killAfter), load);
                var report = await RunAsync(target, api, load, probe, alerting, loss, ct);
                Console.Out.WriteLine(JsonSerializer.Serialize(report, ReportJson));
                return Succeeded(report, loss is not null) ? 0 : 2;
            }
            catch (CliException e)
            {
                Console.Error.WriteLine($"openward: {e.Message}");
                return 1;
            }
        });
        return new Command("bench", "Measure a running server, or the rule engine offline") { ingest, Rules() };
    }

    // Nothing acknowledged lost, nothing refused; alerts all on time, or after a node's loss, every device and every probe patient back.
    private static bool Succeeded(IngestReport report, bool nodeKilled) =>
        report.ReadingsLost is 0 && report.MessagesRefused == 0 && (nodeKilled
            ? report.Failover is { } f && f.DevicesBack == f.DevicesCutOff && (report.AlertProbesSent is null || report.MonitoringResumedAfterMs is not null)
            : report.AlertProbesMissed is null or 0);

    private static IReadOnlyList<BenchEndpoint> ParseNodes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var nodes = new List<BenchEndpoint>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            nodes.Add(BenchEndpoint.TryParse(part, out var problem) ?? throw new CliException($"--nodes: {problem}"));
        }

        return nodes;
    }

    private static Uri ParseServer(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var address) && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps)
            ? address
            : throw new CliException($"--alert-console must be an http:// or https:// address, not \"{text}\"");

    private static async Task<IngestReport> RunAsync(
        string broker, OpenWardApi? api, IngestLoad load, ServerProcessProbe probe, AlertProbing alerting, NodeLoss? loss, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var runId = DateTimeOffset.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture);
        IReadOnlyList<BenchDevice> devices = [];
        var benchmark = new IngestBenchmark(load);
        IngestReport report = null!;
        await console.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var provisioning = progress.AddTask("provisioning devices", maxValue: load.Devices);
            devices = api is null
                ? [.. Enumerable.Range(0, load.Devices).Select(i => new BenchDevice(string.Create(CultureInfo.InvariantCulture, $"bench-{runId}-{i}"), "unused", ""))]
                : await BenchWard.ProvisionAsync(api, load.Devices, runId, new Progress<int>(n => provisioning.Value = n), cancellationToken);
            provisioning.Value = load.Devices;
            await using var reader = api is null ? null : await BenchReader.CreateAsync(api, runId, cancellationToken);
            await using var alerts = alerting.Probes > 0 && api is not null
                ? await AlertProbe.ConnectAsync(alerting.Console, await reader!.Api.AccessTokenAsync(cancellationToken),
                    await BenchWard.ProvisionAsync(api, alerting.Probes, runId + "-probe", new Progress<int>(), cancellationToken),
                    load.EndpointOf(0).Host, load.EndpointOf(0).Port, cancellationToken)
                : null;
            using var killing = new CancellationTokenSource();
            Task? kill = null;
            using var probing = new CancellationTokenSource();
            Task? probeRun = null;
            await using var subscriber = api is null
                ? await PassThroughSubscriber.StartAsync(load.MqttHost, load.MqttPort, load.ReadingsPerMessage, cancellationToken)
                : null;

            var publishing = progress.AddTask(load.Warmup > TimeSpan.Zero ? "connecting devices, warming up" : "connecting devices", maxValue: load.Duration.TotalSeconds);
            DateTimeOffset? started = null;
            long deliveredBefore = 0;
            using var ticker = new CancellationTokenSource();
            var display = Task.Run(async () =>
            {
                while (!ticker.IsCancellationRequested)
                {
                    if (started is null)
                    {
                        await Task.Delay(250, CancellationToken.None);
                        continue;
                    }

                    var elapsed = (DateTimeOffset.UtcNow - started.Value).TotalSeconds;
                    publishing.Value = Math.Min(elapsed, load.Duration.TotalSeconds);
                    publishing.Description = string.Create(CultureInfo.InvariantCulture,
                        $"publishing ({benchmark.MessagesAcknowledged / Math.Max(elapsed, 0.001):N0} msg/s)");
                    await Task.Delay(250, CancellationToken.None);
                }
            }, CancellationToken.None);
            report = await benchmark.RunAsync(devices, () =>
            {
                started = DateTimeOffset.UtcNow;
                deliveredBefore = subscriber?.MessagesDelivered ?? 0;
                probe.Start();
                probeRun = alerts?.RunAsync(probing.Token);
                kill = loss?.KillAsync(() =>
                {
                    benchmark.NodeLost();
                    alerts?.NodeLost();
                }, killing.Token);
                return Task.CompletedTask;
            }, cancellationToken);
            await killing.CancelAsync();
            if (kill is not null)
            {
                await kill;
            }
            if (subscriber is not null)
            {
                report = report with { MessagesDeliveredPerSecond = (subscriber.MessagesDelivered - deliveredBefore) / report.Seconds };
            }

            await probing.CancelAsync();
            if (probeRun is not null)
            {
                await probeRun;
                var (latency, sent, missed) = alerts!.Results();
                report = report with
                {
                    PublishToAlertMs = latency, AlertProbesSent = sent, AlertProbesMissed = missed, MonitoringResumedAfterMs = alerts.MonitoringResumedAfterMs(),
                };
            }

            await ticker.CancelAsync();
            await display;
            publishing.Value = load.Duration.TotalSeconds;
            report = report with
            {
                Broker = broker,
                ServerCores = probe.CoresUsed(TimeSpan.FromSeconds(report.Seconds)),
                ServerPeakMemoryMiB = probe.PeakMemoryMiB(),
            };

            var verifying = progress.AddTask(api is null ? "counting deliveries" : "verifying the store", maxValue: 1);
            IReadOnlyDictionary<string, long> found;
            if (subscriber is not null)
            {
                await subscriber.DrainAsync(TimeSpan.FromSeconds(30));
                found = subscriber.DeliveredByDevice;
            }
            else
            {
                found = await BenchWard.CountStoredAsync(reader!.Api, devices, cancellationToken);
            }

            var lost = IngestVerification.Lost(devices.Select(d => d.Id), benchmark.AcknowledgedByDevice, found);
            report = report with { ReadingsVerifiedStored = found.Values.Sum(), ReadingsLost = lost };
            verifying.Value = 1;
        });

        var table = new Table().AddColumns("measure", "value");
        table.AddRow("messages/s", report.MessagesPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("readings/s", report.ReadingsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        if (report.MessagesDeliveredPerSecond is { } delivered)
        {
            table.AddRow("messages/s delivered to the subscriber", delivered.ToString("N0", CultureInfo.InvariantCulture));
        }

        var l = report.PublishToAcknowledgeMs;
        table.AddRow("publish→ack (= stored) p50/p95/p99/max ms", string.Create(CultureInfo.InvariantCulture, $"{l.P50:F1} / {l.P95:F1} / {l.P99:F1} / {l.Max:F1}"));
        if (report.PublishToAlertMs is { } a)
        {
            table.AddRow("publish→alert on the hub p50/p95/p99/max ms", string.Create(CultureInfo.InvariantCulture, $"{a.P50:F1} / {a.P95:F1} / {a.P99:F1} / {a.Max:F1}"));
            table.AddRow("emergency calls sent / alerts missed", string.Create(CultureInfo.InvariantCulture, $"{report.AlertProbesSent} / {report.AlertProbesMissed}"));
        }

        if (report.Failover is { } f)
        {
            var back = f.LossToAcknowledgedMs;
            table.AddRow("devices cut off by the loss / acknowledged again", string.Create(CultureInfo.InvariantCulture, $"{f.DevicesCutOff} / {f.DevicesBack}"));
            table.AddRow("loss → device acknowledged again p50/p99/max ms", string.Create(CultureInfo.InvariantCulture, $"{back.P50:F0} / {back.P99:F0} / {back.Max:F0}"));
        }

        if (loss is not null && report.AlertProbesSent is not null)
        {
            table.AddRow("node lost → every probe patient alerting again ms",
                report.MonitoringResumedAfterMs?.ToString("F0", CultureInfo.InvariantCulture) ?? "not within the run");
        }

        table.AddRow("refused or failed messages", report.MessagesRefused.ToString(CultureInfo.InvariantCulture));
        table.AddRow("acknowledged readings missing from the store", report.ReadingsLost?.ToString(CultureInfo.InvariantCulture) ?? "not verified");
        table.AddRow("server CPU (cores)", report.ServerCores?.ToString("F2", CultureInfo.InvariantCulture) ?? "server not on this machine");
        table.AddRow("server peak memory (MiB)", report.ServerPeakMemoryMiB?.ToString("F0", CultureInfo.InvariantCulture) ?? "server not on this machine");
        console.Write(table);
        return report;
    }

    /// <summary><c>openward bench rules --dataset DIR</c>: the rule engine's processor time per reading with the early warning on and off.</summary>
    private static Command Rules()
    {
        var dataset = new Option<DirectoryInfo>("--dataset") { Description = "Dataset directory (as for openward evaluate)", Required = true };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of each setting, alternating", DefaultValueFactory = _ => 4 };
        var command = new Command("rules", "Replay a dataset through the rules on one thread, with the personalised early warning on and off; report processor time per reading")
        {
            dataset, rounds,
        };
        command.SetAction(parse =>
        {
            try
            {
                var data = Evaluate.EvaluationDataset.Load(parse.GetValue(dataset)!.FullName);
                var (on, off) = RuleEngineBenchmark.Run(data, Math.Max(1, parse.GetValue(rounds)));
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    earlyWarningOn = Describe(on),
                    earlyWarningOff = Describe(off),
                    // A dataset too small for the process clock to see has no cost to report.
                    costOfTheEarlyWarning = on.CpuSeconds > 0 && off.CpuSeconds > 0 ? Math.Round(on.CpuMicrosecondsPerReading / off.CpuMicrosecondsPerReading - 1, 3) : (double?)null,
                }, ReportJson));
                return 0;
            }
            catch (CliException e)
            {
                Console.Error.WriteLine($"openward: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static object Describe(RuleEngineFigures figures) => new
    {
        readings = figures.Readings,
        cpuMicrosecondsPerReading = figures.CpuSeconds > 0 ? Math.Round(figures.CpuMicrosecondsPerReading, 3) : (double?)null,
        readingsPerCpuSecond = figures.CpuSeconds > 0 ? Math.Round(figures.ReadingsPerCpuSecond) : (double?)null,
        patientDaysPerSecond = figures.ElapsedSeconds > 0 ? Math.Round(figures.PatientDaysPerSecond, 1) : (double?)null,
    };
}
