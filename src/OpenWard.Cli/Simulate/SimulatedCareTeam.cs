using System.Text.Json;
using OpenWard.Cli.Api;

namespace OpenWard.Cli.Simulate;

/// <summary>The care team a simulated ward's patients go on, so that the clinicians and nurses on it see them in the console.</summary>
/// <param name="Id">The team's id (<c>team-…</c>).</param>
/// <param name="Name">The team's name.</param>
public sealed record SimulatedCareTeam(string Id, string Name)
{
    /// <summary>The team's name when <c>--team-name</c> gives none.</summary>
    public const string DefaultName = "Simulated ward";

    /// <summary>
    /// The team with id <paramref name="teamId"/> (which must exist), else the team named
    /// <paramref name="teamName"/> (or <see cref="DefaultName"/>), created when there is none of that name.
    /// </summary>
    public static async Task<SimulatedCareTeam> FindOrCreateAsync(OpenWardApi api, string? teamId, string? teamName, CancellationToken cancellationToken)
    {
        if (teamId is not null && teamName is not null)
        {
            throw new CliException("give --team ID or --team-name NAME, not both");
        }

        var teams = (await api.GetAsync("/api/v1/care-teams", cancellationToken)).EnumerateArray().Select(Read).ToList();
        if (teamId is not null)
        {
            return teams.FirstOrDefault(t => t.Id == teamId)
                ?? throw new CliException($"there is no care team {teamId}; openward teams list shows them, or leave --team out to create one");
        }

        var name = string.IsNullOrWhiteSpace(teamName) ? DefaultName : teamName.Trim();
        return teams.FirstOrDefault(t => t.Name == name)
            ?? Read(await api.PostAsync("/api/v1/care-teams", new { name }, cancellationToken));
    }

    private static SimulatedCareTeam Read(JsonElement team) => new(team.GetProperty("id").GetString()!, team.GetProperty("name").GetString()!);
}
