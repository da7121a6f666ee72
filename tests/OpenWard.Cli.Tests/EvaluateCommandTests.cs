namespace OpenWard.Cli.Tests;

public sealed class EvaluateCommandTests
{
    [Fact]
    public async Task Evaluate_ReplaysLabelledScenarios_AndComparesBothRuleSets()
    {
        var outcome = await CliProcess.RunAsync("evaluate", "--patients", "3", "--days", "1", "--seed", "7");

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Contains("3 patients × 1 days, 1 labelled deteriorations (1 sepsis)", outcome.Output, StringComparison.Ordinal);
        var rows = outcome.Output.Split('\n').Where(l => l.StartsWith("| OpenWard", StringComparison.Ordinal) || l.StartsWith("| Static", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        // The sepsis patient is found by OpenWard's rules.
        Assert.Contains("| 1/1 (100%) |", rows[0], StringComparison.Ordinal);
    }
}
