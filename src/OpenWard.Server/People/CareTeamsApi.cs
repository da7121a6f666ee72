using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;
using OpenWard.Server.Api;
using OpenWard.Server.Storage;

namespace OpenWard.Server.People;

/// <summary>
/// <c>/api/v1/care-teams</c>: administrators create care teams and put clinicians and nurses on
/// them; patients join a team through <c>PUT /api/v1/patients/{id}/care-team</c>.
/// </summary>
public static class CareTeamsApi
{
    /// <summary>A care team to create.</summary>
    public sealed record NewCareTeam(string? Name);

    /// <summary>Maps the care-team endpoints.</summary>
    public static IEndpointRouteBuilder MapCareTeamsApi(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/api/v1/care-teams").RequireAuthorization(AccessPolicies.ManageFleet).WithTags("People");
        teams.MapGet("/", async (CareTeams careTeams, CancellationToken ct) => TypedResults.Ok(await careTeams.ListAsync(ct)));
        teams.MapPost("/", AddAsync);
        teams.MapPut("/{careTeamId}/members/{userId}", AddMemberAsync);
        teams.MapDelete("/{careTeamId}/members/{userId}", async Task<Results<NoContent, NotFound>> (
            string careTeamId, string userId, CareTeams careTeams, CancellationToken ct) =>
            await careTeams.RemoveMemberAsync(careTeamId, userId, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        return app;
    }

    private static async Task<Results<Created<CareTeam>, ProblemHttpResult>> AddAsync(
        NewCareTeam request, CareTeams careTeams, CancellationToken cancellationToken)
    {
        var outcome = await careTeams.AddAsync(request.Name ?? "", cancellationToken);
        return outcome.Problem == ProblemKind.None
            ? TypedResults.Created($"/api/v1/care-teams/{outcome.Value!.Id}", outcome.Value)
            : OutcomeResults.Problem(outcome);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> AddMemberAsync(
        string careTeamId, string userId, CareTeams careTeams, CancellationToken cancellationToken)
    {
        var outcome = await careTeams.AddMemberAsync(careTeamId, userId, cancellationToken);
        return outcome.Problem == ProblemKind.None ? TypedResults.NoContent() : OutcomeResults.Problem(outcome);
    }
}
