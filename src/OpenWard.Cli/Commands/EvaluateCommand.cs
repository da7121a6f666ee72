using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using OpenWard.Cli.Api;
using OpenWard.Cli.Evaluate;

namespace OpenWard.Cli.Commands;

/// <summary>
/// <c>openward evaluate --dataset DIR</c>: replays a dataset's readings through the real rule engine,
/// offline, as the live server would see them, and prints per rule set sensitivity, lead time, false
/// alerts per patient-day, positive predictive value and alert burden (docs/alerting.md).
/// </summary>
public static class EvaluateCommand
{
    private static readonly JsonSerializerOptions AlertJson = new(JsonSerializerDefaults.Web);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var dataset = new Option<DirectoryInfo>("--dataset")
        {
            Description = "Dataset directory: readings.ndjson, optional settings.json and labels.json (openward simulate --export writes one)",
            Required = true,
        };
        var alertsOut = new Option<FileInfo?>("--alerts-out") { Description = "Write every alert the live server would have raised, one JSON object a line" };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON instead of a table" };
        var command = new Command("evaluate", "Replay a dataset through the alert rules and compare rule sets")
        {
            dataset, alertsOut, json,
        };
        command.SetAction(parse =>
        {
            try
            {
                var watch = Stopwatch.StartNew();
                var data = EvaluationDataset.Load(parse.GetValue(dataset)!.FullName);
                var loaded = watch.Elapsed;
                var patients = Replay(data, RuleSet.All);
                var figures = EvaluationReport.Figures(patients, RuleSet.All);
                if (parse.GetValue(alertsOut) is { } file)
                {
                    WriteAlerts(file, patients);
                }

                Console.Out.Write(parse.GetValue(json)
                    ? EvaluationReport.JsonReport(patients, figures, data) + Environment.NewLine
                    : EvaluationReport.Markdown(patients, figures, data));
                var replayed = watch.Elapsed - loaded;
                Console.Error.WriteLine(FormattableString.Invariant(
                    $"loaded in {loaded.TotalSeconds:0.0} s; replayed {patients.Sum(p => p.Days):0.0} patient-days in {replayed.TotalSeconds:0.0} s ({patients.Sum(p => p.Days) / Math.Max(replayed.TotalSeconds, 0.001):0} patient-days/s through {RuleSet.All.Select(r => r.Engine).Distinct().Count()} rule engines)"));
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

    /// <summary>Replays every patient through each distinct engine of the rule sets.</summary>
    public static IReadOnlyList<ReplayedPatient> Replay(EvaluationDataset data, IReadOnlyList<RuleSet> ruleSets)
    {
        var engines = ruleSets.Select(r => r.Engine).Distinct().ToList();
        return
        [
            .. data.Readings.OrderBy(p => p.Key, StringComparer.Ordinal).AsParallel().AsOrdered().Select(patient =>
            {
                var (id, readings) = (patient.Key, patient.Value);
                var settings = data.SettingsOf(id);
                var alerts = engines.ToDictionary(e => e.Name, e => RuleReplay.Run(id, readings, e.Create(settings)));
                var days = Math.Max((readings[^1].Time - readings[0].Time).TotalDays, RuleReplay.Tick.TotalDays);
                return new ReplayedPatient(id, data.Labels?.GetValueOrDefault(id), days, alerts);
            }),
        ];
    }

    private static void WriteAlerts(FileInfo file, IReadOnlyList<ReplayedPatient> patients)
    {
        using var writer = new StreamWriter(file.FullName);
        foreach (var alert in patients.SelectMany(p => p.AlertsByEngine[RuleEngine.Live.Name]).OrderBy(a => a.Time))
        {
            writer.WriteLine(JsonSerializer.Serialize(new
            {
                patient = alert.Patient,
                time = alert.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                rule = alert.Rule,
                severity = alert.Severity.ToString().ToLowerInvariant(),
            }, AlertJson));
        }
    }
}
