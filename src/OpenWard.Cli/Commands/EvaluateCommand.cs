using System.CommandLine;
using OpenWard.Cli.Evaluate;

namespace OpenWard.Cli.Commands;

/// <summary>
/// <c>openward evaluate</c>: replays the simulator's labelled scenarios through the real rule engine
/// and prints, per rule set, sensitivity, median lead time and false alerts per patient-day.
/// </summary>
public static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var patients = new Option<int>("--patients") { Description = "Patients to replay (every third deteriorates)", DefaultValueFactory = _ => 24 };
        var days = new Option<int>("--days") { Description = "Days to replay", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Seed for the ward and the scenarios' timing", DefaultValueFactory = _ => 2026 };
        var command = new Command("evaluate", "Replay labelled deteriorations and stable patients through the alert rules and compare rule sets")
        {
            patients, days, seed,
        };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(patients);
            var length = parse.GetValue(days);
            if (count < 3 || length < 1)
            {
                Console.Error.WriteLine("openward: at least 3 patients and 1 day");
                return 1;
            }

            RuleSet[] sets = [RuleSet.OpenWard, RuleSet.StaticThresholds];
            var replayed = ScenarioReplay.Run(count, length, parse.GetValue(seed), sets, done => Console.Error.Write($"\rreplayed {done}/{count} patients"));
            Console.Error.WriteLine();
            Console.Out.Write(EvaluationReport.Markdown(replayed, sets, length));
            return 0;
        });
        return command;
    }
}
