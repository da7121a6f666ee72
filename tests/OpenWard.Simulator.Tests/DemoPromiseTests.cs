using System.Globalization;
using OpenWard.Core.Alerting;
using OpenWard.Simulator.Ward;
using OpenWard.Tests.Shared;

namespace OpenWard.Simulator.Tests;

/// <summary>
/// The README's table of the demo's scripted patients — who they are, which alert comes and by
/// when — held against the demo ward run with the server's rules, from starts at every time of day.
/// </summary>
public sealed class DemoPromiseTests
{
    private const string TableHeader = "| scenario | patient | alert | severity | within (minutes) |";

    [Fact]
    public void ReadmeTable_NamesEveryScenarioOfTheDemoWard_AndItsPatient()
    {
        var plan = DemoPlan();
        var promises = ReadPromises();

        Assert.Equal(WardPlan.DemoScenarios.Values.SelectMany(s => s).Order(), promises.Select(p => p.Scenario).Distinct().Order());
        foreach (var promise in promises)
        {
            var patient = plan.Patients.Single(p => p.Scenarios.Contains(promise.Scenario));
            Assert.Equal(patient.Name, promise.Patient);
        }
    }

    [Theory]
    [InlineData(0, 7)]
    [InlineData(3, 41)]
    [InlineData(6, 2)]
    [InlineData(9, 33)]
    [InlineData(12, 15)]
    [InlineData(15, 58)]
    [InlineData(18, 20)]
    [InlineData(21, 49)]
    public void DemoWard_RaisesEachAlertOfTheReadmeTable_ByItsTime(int hour, int minute)
    {
        var plan = DemoPlan();
        var promises = ReadPromises();
        var start = new DateTimeOffset(2026, 12, 1, hour, minute, 13, TimeSpan.Zero);
        var raised = DemoWardReplay.Run(plan, start, TimeSpan.FromDays(WardPlan.DemoHistoryDays),
            TimeSpan.FromMinutes(promises.Max(p => p.Within) + 1));

        var broken = new List<string>();
        foreach (var promise in promises)
        {
            var index = plan.Patients.Single(p => p.Scenarios.Contains(promise.Scenario)).Index;
            var theirs = raised.Where(r => r.Index == index && AlertRules.Describe(r.Condition) == promise.Alert).ToList();
            if (!theirs.Any(r => r.Severity >= promise.Severity && r.After <= TimeSpan.FromMinutes(promise.Within)))
            {
                broken.Add($"{promise.Scenario}: \"{promise.Alert}\" ({promise.Severity}) within {promise.Within} min, but: "
                    + (theirs.Count == 0 ? "never" : string.Join(", ", theirs.Select(r => $"{r.Severity} at {r.After.TotalMinutes:0.0} min"))));
            }
        }

        Assert.True(broken.Count == 0, $"starting at {start:HH:mm}: " + string.Join("; ", broken));
    }

    private static WardPlan DemoPlan() => WardPlan.Create(WardPlan.DemoPatients, WardPlan.DemoSeed, "demo-", WardPlan.DemoScenarios);

    /// <summary>The rows of the README's table: <c>| sepsis | NAME | Body temperature high | warning | 2 |</c>.</summary>
    private static List<Promise> ReadPromises()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFolders.Root, "README.md"));
        var header = Array.IndexOf(lines, TableHeader);
        Assert.True(header >= 0, $"README.md has no table headed {TableHeader}");
        var promises = new List<Promise>();
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim().Trim('`')).ToArray();
            Assert.True(cells.Length == 5, $"a row of five cells: {line}");
            promises.Add(new Promise(cells[0], cells[1], cells[2], Enum.Parse<AlertSeverity>(cells[3], ignoreCase: true), int.Parse(cells[4], CultureInfo.InvariantCulture)));
        }

        Assert.NotEmpty(promises);
        return promises;
    }

    private sealed record Promise(string Scenario, string Patient, string Alert, AlertSeverity Severity, int Within);
}
