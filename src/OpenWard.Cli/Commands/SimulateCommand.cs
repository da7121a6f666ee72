using System.CommandLine;
using System.Globalization;
using OpenWard.Cli.Api;
using OpenWard.Cli.Simulate;
using OpenWard.Simulator.Mqtt;
using OpenWard.Simulator.Scenarios;
using OpenWard.Simulator.Ward;
using Spectre.Console;

namespace OpenWard.Cli.Commands;

/// <summary>
/// <c>openward simulate</c>: a ward of simulated patients and devices, created on the server through
/// its API and then publishing over real MQTT with their own credentials.
/// </summary>
public static class SimulateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var patients = new Option<int>("--patients") { Description = "Simulated patients", DefaultValueFactory = _ => 24 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same ward and readings", DefaultValueFactory = _ => 2026 };
        var historyDays = new Option<int>("--history-days") { Description = "Days of past readings devices upload at start", DefaultValueFactory = _ => 0 };
        var scenarios = new Option<string[]>("--scenario")
        {
            Description = $"PATIENT:SCENARIO, e.g. 1:sepsis (patients numbered from 1; scenarios: {string.Join(", ", Deterioration.Keys)}). Repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var duration = new Option<double>("--duration") { Description = "Seconds to run (0: until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var mqttHost = new Option<string>("--mqtt-host") { Description = "MQTT host", DefaultValueFactory = _ => "127.0.0.1" };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "MQTT port", DefaultValueFactory = _ => 1883 };
        var noDropouts = new Option<bool>("--no-dropouts") { Description = "Keep every device connected" };
        var export = new Option<DirectoryInfo?>("--export")
        {
            Description = "Write the ward as a labelled evaluation dataset into DIR (for openward evaluate) instead of running it; every third patient deteriorates",
        };
        var days = new Option<int>("--days") { Description = "Days of readings to export (with --export)", DefaultValueFactory = _ => 3 };
        var command = new Command("simulate", "Simulate a ward of patients and their devices against a running server over MQTT, or export one as a dataset")
        {
            patients, seed, historyDays, scenarios, duration, mqttHost, mqttPort, noDropouts, export, days,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                if (parse.GetValue(export) is { } directory)
                {
                    return Export(directory, parse.GetValue(patients), parse.GetValue(days), parse.GetValue(seed));
                }

                var plan = WardPlan.Create(parse.GetValue(patients), parse.GetValue(seed),
                    $"sim{DateTimeOffset.UtcNow:MMddHHmmss}-", ParseScenarios(parse.GetValue(scenarios) ?? []));
                using var api = GlobalOptions.Connect(parse);
                var seconds = parse.GetValue(duration);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                if (seconds > 0)
                {
                    stop.CancelAfter(TimeSpan.FromSeconds(seconds));
                }

                return await RunAsync(api, plan, TimeSpan.FromDays(parse.GetValue(historyDays)), parse.GetValue(mqttHost)!,
                    parse.GetValue(mqttPort), !parse.GetValue(noDropouts), stop.Token);
            }
            catch (Exception e) when (e is CliException or ArgumentException)
            {
                Console.Error.WriteLine($"openward: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Export(DirectoryInfo directory, int patients, int days, int seed)
    {
        if (patients < 1 || days < 1)
        {
            throw new CliException("--export needs at least 1 patient and 1 day");
        }

        var readings = WardExport.Write(directory.FullName, patients, days, seed, done => Console.Error.Write($"\rexported {done}/{patients} patients"));
        Console.Error.WriteLine();
        Console.Out.WriteLine(FormattableString.Invariant($"{readings:N0} readings of {patients} patients over {days} days in {directory.FullName}"));
        return 0;
    }

    private static Dictionary<int, IReadOnlyList<string>> ParseScenarios(string[] values)
    {
        var scenarios = new Dictionary<int, IReadOnlyList<string>>();
        foreach (var value in values)
        {
            var parts = value.Split(':', 2);
            if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var patient) || patient < 1)
            {
                throw new CliException($"--scenario takes PATIENT:SCENARIO, e.g. 1:sepsis, not \"{value}\"");
            }

            scenarios[patient - 1] = [.. scenarios.GetValueOrDefault(patient - 1, []), parts[1]];
        }

        return scenarios;
    }

    private static async Task<int> RunAsync(OpenWardApi api, WardPlan plan, TimeSpan history, string host, int port, bool dropouts, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var start = DateTimeOffset.UtcNow;
        IReadOnlyDictionary<string, DeviceCredential> credentials = new Dictionary<string, DeviceCredential>();
        await console.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("creating patients and devices", maxValue: plan.Patients.Count);
            credentials = await WardProvisioning.ProvisionAsync(api, plan, start - history - TimeSpan.FromMinutes(1),
                new Progress<int>(n => task.Value = n), cancellationToken);
        });

        var ward = SimulatedWard.Create(plan, start, history, dropouts);
        var runner = new WardRunner(ward, credentials, host, port, TimeProvider.System);
        var running = runner.RunAsync(cancellationToken);
        var statistics = runner.Statistics;
        await console.Live(Status(statistics, start)).StartAsync(async live =>
        {
            while (!running.IsCompleted)
            {
                live.UpdateTarget(Status(statistics, start));
                await Task.WhenAny(running, Task.Delay(1000, CancellationToken.None));
            }

            live.UpdateTarget(Status(statistics, start));
        });
        await running;
        Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
        {
            patients = plan.Patients.Count,
            devices = ward.Devices.Count,
            seed = plan.Seed,
            seconds = Math.Round((DateTimeOffset.UtcNow - start).TotalSeconds, 1),
            messagesAcknowledged = statistics.MessagesAcknowledged,
            readingsAcknowledged = statistics.ReadingsAcknowledged,
            messagesRefused = statistics.MessagesRefused,
            reconnects = statistics.Reconnects,
        }));
        return statistics.MessagesRefused == 0 ? 0 : 2;
    }

    private static Table Status(SimulationStatistics statistics, DateTimeOffset start)
    {
        var elapsed = DateTimeOffset.UtcNow - start;
        var table = new Table().AddColumns("simulated ward", "").HideHeaders();
        table.AddRow("running for", elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture));
        table.AddRow("devices online", statistics.DevicesOnline.ToString(CultureInfo.InvariantCulture));
        table.AddRow("messages acknowledged", statistics.MessagesAcknowledged.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("readings acknowledged", statistics.ReadingsAcknowledged.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("readings/s", (statistics.ReadingsAcknowledged / Math.Max(elapsed.TotalSeconds, 1)).ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("refused", statistics.MessagesRefused.ToString(CultureInfo.InvariantCulture));
        table.AddRow("reconnects after drop-outs", statistics.Reconnects.ToString(CultureInfo.InvariantCulture));
        return table;
    }
}
