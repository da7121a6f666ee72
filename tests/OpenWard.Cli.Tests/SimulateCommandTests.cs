using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Simulator.Ward;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

/// <summary><c>openward simulate</c> against the real server, its output read as a script and a log would read it.</summary>
public sealed class SimulateCommandTests(RunningServer server) : IClassFixture<RunningServer>
{
    private Task<CliProcess.Outcome> Simulate(params string[] args) =>
        CliProcess.RunAsync(["simulate", .. args, "--mqtt-port", server.MqttPort.ToString(CultureInfo.InvariantCulture),
            "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory]);

    [Fact]
    public async Task Simulate_PutsItsPatientsOnACareTeam_AndPrintsTheirIdsAndNames()
    {
        var teamName = $"Simulated ward {Guid.NewGuid():N}"[..24];
        var outcome = await Simulate("--patients", "2", "--duration", "4", "--history-days", "1", "--scenario", "1:sepsis", "--team-name", teamName);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var (ward, summary) = Documents(outcome);
        var team = ward.GetProperty("careTeam");
        Assert.Equal(teamName, team.GetProperty("name").GetString());
        var patients = ward.GetProperty("patients").EnumerateArray().ToList();
        Assert.Equal(2, patients.Count);
        Assert.Equal(["sepsis"], patients[0].GetProperty("scenarios").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(team.GetProperty("id").GetString(), summary.GetProperty("careTeam").GetString());
        Assert.True(summary.GetProperty("readingsAcknowledged").GetInt64() > 1000, "a day of wearable history and live oximetry");
        Assert.Equal(0, summary.GetProperty("messagesRefused").GetInt64());

        // Each patient by id and name, in words for people too.
        foreach (var patient in patients)
        {
            Assert.Contains($"{patient.GetProperty("id").GetString()}  {patient.GetProperty("name").GetString()}", outcome.Error, StringComparison.Ordinal);
        }

        // A clinician on the team sees the simulated patients, under the names printed.
        using var clinician = await server.SignInPersonAsync("clinician", team.GetProperty("id").GetString());
        var roster = await clinician.GetFromJsonAsync<JsonElement>("/api/v1/patients", TestContext.Current.CancellationToken);
        Assert.Equal(
            patients.Select(p => (p.GetProperty("id").GetString(), p.GetProperty("name").GetString())).Order(),
            roster.EnumerateArray().Select(p => (p.GetProperty("id").GetString(), p.GetProperty("name").GetString())).Order());
    }

    [Fact]
    public async Task Simulate_WithTheDefaultSeed_NamesOtherPeopleThanTheDemoWard_MarkedSimulated()
    {
        var outcome = await Simulate("--patients", "24", "--duration", "1", "--team-name", $"Names {Guid.NewGuid():N}"[..20]);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var names = Documents(outcome).Ward.GetProperty("patients").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
        var demo = WardPlan.Create(WardPlan.DemoPatients, WardPlan.DemoSeed, "demo-", WardPlan.DemoScenarios).Patients.Select(p => p.Name).ToHashSet();
        Assert.All(names, name =>
        {
            Assert.EndsWith(" (simulated)", name, StringComparison.Ordinal);
            Assert.DoesNotContain(name[..^" (simulated)".Length], demo);
        });
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public async Task Simulate_WithATeamId_UsesThatTeam()
    {
        using var created = await server.Admin.PostAsJsonAsync("/api/v1/care-teams", new { name = $"Existing {Guid.NewGuid():N}"[..20] }, TestContext.Current.CancellationToken);
        var teamId = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString()!;

        var outcome = await Simulate("--patients", "1", "--duration", "1", "--team", teamId);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var ward = Documents(outcome).Ward;
        Assert.Equal(teamId, ward.GetProperty("careTeam").GetProperty("id").GetString());
        using var clinician = await server.SignInPersonAsync("nurse", teamId);
        var roster = await clinician.GetFromJsonAsync<JsonElement>("/api/v1/patients", TestContext.Current.CancellationToken);
        Assert.Equal(ward.GetProperty("patients")[0].GetProperty("id").GetString(), Assert.Single(roster.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Simulate_WithAnUnknownTeam_SaysSoAndCreatesNothing()
    {
        var outcome = await Simulate("--patients", "1", "--duration", "1", "--team", "team-nosuchteam");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("there is no care team team-nosuchteam", outcome.Error, StringComparison.Ordinal);
        Assert.Equal("", outcome.Output);
    }

    [Fact]
    public async Task Simulate_IntoALog_PrintsOnePlainLinePerInterval()
    {
        var outcome = await Simulate("--patients", "1", "--duration", "5", "--status-every", "2", "--team-name", $"Log {Guid.NewGuid():N}"[..16]);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        // Standard error is a pipe here, as in a log: no terminal control sequences, no redrawn table.
        Assert.DoesNotContain('\u001b', outcome.Error);
        Assert.DoesNotContain("─", outcome.Error, StringComparison.Ordinal);
        var status = outcome.Error.Split('\n').Where(l => l.Contains(" simulated ward: running for ", StringComparison.Ordinal)).ToList();
        Assert.InRange(status.Count, 2, 4);
        Assert.All(status, line => Assert.Contains("devices online", line, StringComparison.Ordinal));
    }

    /// <summary>Standard output: the ward as soon as it exists, then the summary at the end, one JSON document a line.</summary>
    private static (JsonElement Ward, JsonElement Summary) Documents(CliProcess.Outcome outcome)
    {
        var lines = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        return (JsonDocument.Parse(lines[0]).RootElement, JsonDocument.Parse(lines[1]).RootElement);
    }
}
