using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
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
    // One line per document, so that scripts read the ward and the summary line by line; names printed as written.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
        var duration = new Option<double>("--duration") { Description = "Seconds to run once the ward is created (0: until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var mqttHost = new Option<string>("--mqtt-host") { Description = "MQTT host", DefaultValueFactory = _ => "127.0.0.1" };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "MQTT port", DefaultValueFactory = _ => 1883 };
        var noDropouts = new Option<bool>("--no-dropouts") { Description = "Keep every device connected" };
        var team = new Option<string?>("--team") { Description = "Put the patients on this existing care team (its id, team-…)" };
        var teamName = new Option<string?>("--team-name")
        {
            Description = $"Put the patients on the care team of this name, created if there is none (default \"{SimulatedCareTeam.DefaultName}\")",
        };
        var statusEvery = new Option<double>("--status-every")
        {
            Description = "Seconds between status lines when standard error is not a terminal (on a terminal the table is redrawn every second)",
            DefaultValueFactory = _ => 10,
        };
        var export = new Option<DirectoryInfo?>("--export")
        {
            Description = "Write the ward as a labelled evaluation dataset into DIR (for openward evaluate) instead of running it; every third patient deteriorates",
        };
        var days = new Option<int>("--days") { Description = "Days of readings to export (with --export)", DefaultValueFactory = _ => 3 };
        var command = new Command("simulate", "Simulate a ward of patients and their devices against a running server over MQTT, or export one as a dataset")
        {
            patients, seed, historyDays, scenarios, duration, mqttHost, mqttPort, noDropouts, team, teamName, statusEvery, export, days,
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
                    $"sim{DateTimeOffset.UtcNow:MMddHHmmss}-", ParseScenarios(parse.GetValue(scenarios) ?? []), PatientNames.Simulated(parse.GetValue(seed)));
                if (parse.GetValue(statusEvery) is not (> 0 and <= 86_400) and var every)
                {
                    throw new CliException(FormattableString.Invariant($"--status-every takes seconds from more than 0 to 86400, not {every}"));
                }

                using var api = GlobalOptions.Connect(parse);
                var careTeam = await SimulatedCareTeam.FindOrCreateAsync(api, parse.GetValue(team), parse.GetValue(teamName), ct);
                var seconds = parse.GetValue(duration);
                var run = new SimulationRun(plan, careTeam, TimeSpan.FromDays(parse.GetValue(historyDays)), parse.GetValue(mqttHost)!,
                    parse.GetValue(mqttPort), !parse.GetValue(noDropouts), seconds > 0 ? TimeSpan.FromSeconds(seconds) : null,
                    TimeSpan.FromSeconds(parse.GetValue(statusEvery)));
                return await RunAsync(api, run, ct);
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

    private static async Task<int> RunAsync(OpenWardApi api, SimulationRun run, CancellationToken cancellationToken)
    {
        // On a terminal, a progress bar and a table redrawn in place; into a log or a pipe, plain lines.
        var interactive = !Console.IsErrorRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var plan = run.Plan;
        var start = DateTimeOffset.UtcNow;
        var assignedFrom = start - run.History - TimeSpan.FromMinutes(1);
        ProvisionedWard provisioned;
        if (interactive)
        {
            provisioned = null!;
            await console.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask("creating patients and devices", maxValue: plan.Patients.Count);
                provisioned = await WardProvisioning.ProvisionAsync(api, plan, run.CareTeam.Id, assignedFrom, new Progress<int>(n => task.Value = n), cancellationToken);
            });
        }
        else
        {
            Console.Error.WriteLine(FormattableString.Invariant($"creating {plan.Patients.Count} simulated patients and their devices"));
            provisioned = await WardProvisioning.ProvisionAsync(api, plan, run.CareTeam.Id, assignedFrom, new Progress<int>(), cancellationToken);
        }

        PrintWard(run, provisioned);
        var ward = SimulatedWard.Create(plan, start, run.History, run.Dropouts);
        var runner = new WardRunner(ward, provisioned.Credentials, run.MqttHost, run.MqttPort, TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (run.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        var running = runner.RunAsync(stop.Token);
        var statistics = runner.Statistics;
        if (interactive)
        {
            await console.Live(SimulationStatus.Table(statistics, DateTimeOffset.UtcNow - start)).StartAsync(async live =>
            {
                while (!running.IsCompleted)
                {
                    live.UpdateTarget(SimulationStatus.Table(statistics, DateTimeOffset.UtcNow - start));
                    await Task.WhenAny(running, Task.Delay(1000, CancellationToken.None));
                }

                live.UpdateTarget(SimulationStatus.Table(statistics, DateTimeOffset.UtcNow - start));
            });
        }
        else
        {
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(run.StatusEvery, CancellationToken.None));
                var now = DateTimeOffset.UtcNow;
                Console.Error.WriteLine(SimulationStatus.Line(statistics, now - start, now));
            }
        }

        await running;
        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            careTeam = run.CareTeam.Id,
            patients = plan.Patients.Count,
            devices = ward.Devices.Count,
            seed = plan.Seed,
            seconds = Math.Round((DateTimeOffset.UtcNow - start).TotalSeconds, 1),
            messagesAcknowledged = statistics.MessagesAcknowledged,
            readingsAcknowledged = statistics.ReadingsAcknowledged,
            messagesRefused = statistics.MessagesRefused,
            reconnects = statistics.Reconnects,
        }, Compact));
        return statistics.MessagesRefused == 0 ? 0 : 2;
    }

    /// <summary>
    /// The ward as soon as it exists: one JSON line on standard output (the care team, and each patient's
    /// id, name, scenarios and devices) for scripts, and the same in words on standard error for people.
    /// </summary>
    private static void PrintWard(SimulationRun run, ProvisionedWard provisioned)
    {
        var patients = run.Plan.Patients.Select(p => new
        {
            id = provisioned.PatientIds[p.Index],
            name = p.Name,
            scenarios = p.Scenarios,
            devices = p.Devices.Select(d => d.Id),
        }).ToList();
        Console.Out.WriteLine(JsonSerializer.Serialize(new { careTeam = new { id = run.CareTeam.Id, name = run.CareTeam.Name }, patients }, Compact));
        Console.Out.Flush();

        Console.Error.WriteLine($"care team \"{run.CareTeam.Name}\" ({run.CareTeam.Id}): its clinicians and nurses see these patients in the console"
            + $" (openward teams add-member {run.CareTeam.Id} USER_ID puts someone on it)");
        foreach (var patient in patients)
        {
            var scenarios = patient.scenarios.Count == 0 ? "" : "  " + string.Join(", ", patient.scenarios);
            Console.Error.WriteLine($"  {patient.id}  {patient.name}{scenarios}");
        }
    }
}
