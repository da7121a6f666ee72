using System.Text.Json;

namespace OpenWard.Cli.Tests;

/// <summary><c>openward evaluate --dataset</c> on a small labelled ward written by hand, and on the simulator's exported ward.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private static readonly string MiniWard = Path.Combine(AppContext.BaseDirectory, "TestData", "mini-ward");
    private readonly string scratch = Directory.CreateTempSubdirectory("openward-evaluate-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task Evaluate_ReplaysADataset_AsTheLiveServerWould_AndScoresItAgainstItsLabels()
    {
        var alertsFile = Path.Combine(scratch, "alerts.ndjson");

        var outcome = await CliProcess.RunAsync("evaluate", "--dataset", MiniWard, "--alerts-out", alertsFile);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        // The off-wrist zero and the line without a patient are refused with their reasons; the reading sent twice counts once.
        Assert.Contains("3 patients, ", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("(2 refused, 1 duplicates)", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("refused: line 121: heart-rate 0 /min is outside the plausible range", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("refused: line 186: \"patient\" is missing", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("1 labelled deteriorations (1 sepsis), 2 stable patients", outcome.Output, StringComparison.Ordinal);
        var live = Row(outcome.Output, "OpenWard (as it runs)");
        Assert.Equal(["1/1 (100%)", "sepsis 1/1"], live[1..3]);
        Assert.Equal("0.00", live[5]); // no alert for the probe-off dip, the motion spike or the COPD patient's usual saturation
        Assert.Equal("100%", live[6]);
        var staticThresholds = Row(outcome.Output, "Static thresholds (same limits, no persistence)");
        Assert.NotEqual("0.00", staticThresholds[5]); // the dip and the spike each alert without persistence

        // Every alert the live server would have raised, at the data time it would have raised it.
        var alert = JsonDocument.Parse(Assert.Single(File.ReadAllLines(alertsFile))).RootElement;
        Assert.Equal("hw-b", alert.GetProperty("patient").GetString());
        Assert.Equal("2026-03-02T08:50:00Z", alert.GetProperty("time").GetString());
        Assert.Equal("threshold:body-temperature:high", alert.GetProperty("rule").GetString());
        Assert.Equal("warning", alert.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task Evaluate_PrintsJson_AndRunsWithoutLabels()
    {
        var unlabelled = Path.Combine(scratch, "unlabelled");
        Directory.CreateDirectory(unlabelled);
        File.Copy(Path.Combine(MiniWard, "readings.ndjson"), Path.Combine(unlabelled, "readings.ndjson"));

        var json = await CliProcess.RunAsync("evaluate", "--dataset", MiniWard, "--json");
        var counts = await CliProcess.RunAsync("evaluate", "--dataset", unlabelled);

        Assert.True(json.ExitCode == 0, json.Error);
        var live = json.Json.GetProperty("ruleSets")[0];
        Assert.Equal(("OpenWard (as it runs)", 1.0, 1), (live.GetProperty("ruleSet").GetString(), live.GetProperty("sensitivity").GetDouble(), live.GetProperty("byScenario").GetProperty("sepsis").GetProperty("detected").GetInt32()));
        Assert.Equal(0.0, live.GetProperty("alertsPerStablePatientDay").GetDouble());
        Assert.True(live.GetProperty("leadTimeHours").GetProperty("median").GetDouble() > 0);
        Assert.True(counts.ExitCode == 0, counts.Error);
        Assert.Contains("no labels.json: alert counts only", counts.Output, StringComparison.Ordinal);
        // Without the COPD patient's own limits her usual saturation is below the default 92 %: the live rules say so, once.
        Assert.Contains("| threshold:spo2:low | 1 |", counts.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_RefusesSettingsThatTheApiWouldRefuse_SayingWhy()
    {
        var bad = Path.Combine(scratch, "bad");
        Directory.CreateDirectory(bad);
        File.Copy(Path.Combine(MiniWard, "readings.ndjson"), Path.Combine(bad, "readings.ndjson"));
        File.WriteAllText(Path.Combine(bad, "settings.json"), """{"hw-c": {"thresholds": [{"measure": "spo2", "criticalLow": 90, "low": 85}]}}""");

        var outcome = await CliProcess.RunAsync("evaluate", "--dataset", bad);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("settings.json, patient hw-c: spo2: limits must be in order", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulatedWard_ExportsAsADataset_ThatEvaluateReads()
    {
        var exported = Path.Combine(scratch, "simulated");

        var export = await CliProcess.RunAsync("simulate", "--export", exported, "--patients", "3", "--days", "1", "--seed", "7");
        var outcome = await CliProcess.RunAsync("evaluate", "--dataset", exported);

        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Contains("1 labelled deteriorations (1 sepsis), 2 stable patients", outcome.Output, StringComparison.Ordinal);
        // The sepsis patient is found by OpenWard's rules.
        Assert.Equal("1/1 (100%)", Row(outcome.Output, "OpenWard (as it runs)")[1]);
    }

    [Fact]
    public async Task BenchRules_MeasuresTheRuleEngineWithTheEarlyWarningOnAndOff()
    {
        var outcome = await CliProcess.RunAsync("bench", "rules", "--dataset", MiniWard, "--rounds", "2");

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var on = outcome.Json.GetProperty("earlyWarningOn");
        var off = outcome.Json.GetProperty("earlyWarningOff");
        // Both settings replayed every accepted reading of the dataset, twice.
        Assert.Equal(2 * 183, on.GetProperty("readings").GetInt64());
        Assert.Equal(2 * 183, off.GetProperty("readings").GetInt64());
        Assert.True(on.TryGetProperty("cpuMicrosecondsPerReading", out _));
        Assert.True(outcome.Json.TryGetProperty("costOfTheEarlyWarning", out _));
    }

    /// <summary>The cells of the table row whose first cell is <paramref name="ruleSet"/>.</summary>
    private static string[] Row(string output, string ruleSet) =>
        output.Split('\n').Single(l => l.StartsWith($"| {ruleSet} |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries)[1..^1];
}
