namespace OpenWard.Cli.Tests;

public sealed class News2CommandTests
{
    [Fact]
    public async Task IssueExample_PrintsSubScoresTotalAndResponse()
    {
        var outcome = await CliProcess.RunAsync("news2", "--resp-rate", "22", "--spo2", "93", "--spo2-scale", "1", "--oxygen",
            "--systolic", "105", "--pulse", "115", "--consciousness", "A", "--temperature", "38.5");

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Equal([2, 2, 2, 1, 2, 0, 1], outcome.Json.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("score").GetInt32()));
        Assert.Equal(10, outcome.Json.GetProperty("total").GetInt32());
        Assert.Equal("high", outcome.Json.GetProperty("response").GetString());
        Assert.True(outcome.Json.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task Scale2OnAir_WithAMissingTemperature_SaysItIsIncomplete()
    {
        var outcome = await CliProcess.RunAsync("news2", "--resp-rate", "18", "--spo2", "89", "--spo2-scale", "2", "--air",
            "--systolic", "125", "--pulse", "80", "--consciousness", "C");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(3, outcome.Json.GetProperty("total").GetInt32());
        Assert.Equal("low-medium", outcome.Json.GetProperty("response").GetString());
        Assert.False(outcome.Json.GetProperty("complete").GetBoolean());
        Assert.Equal("temperature", Assert.Single(outcome.Json.GetProperty("missing").EnumerateArray()).GetString());
    }
}
