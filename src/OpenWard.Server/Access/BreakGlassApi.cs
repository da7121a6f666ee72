using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Api;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Access;

/// <summary>
/// Break-glass: <c>POST /api/v1/patients/{patientId}/break-glass</c> (a clinician or nurse opens
/// time-limited access with a reason); <c>GET /api/v1/break-glass</c> and
/// <c>POST /api/v1/break-glass/{id}/review</c> for the privacy officer (administrators).
/// </summary>
public static class BreakGlassApi
{
    /// <summary>Why access is needed.</summary>
    public sealed record BreakGlassRequest(string? Reason);

    /// <summary>Maps the break-glass endpoints.</summary>
    public static IEndpointRouteBuilder MapBreakGlassApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/patients/{patientId}/break-glass", OpenAsync).RequireAuthorization(AccessPolicies.BreakGlass).WithTags("Security");
        var review = app.MapGroup("/api/v1/break-glass").RequireAuthorization(AccessPolicies.ManageFleet).WithTags("Security");
        review.MapGet("/", async (bool? unreviewed, BreakGlassRegister register, CancellationToken ct) =>
            TypedResults.Ok(await register.ListAsync(unreviewed ?? false, ct)));
        review.MapPost("/{accessId}/review", ReviewAsync);
        return app;
    }

    private static async Task<Results<Created<BreakGlassAccess>, ProblemHttpResult>> OpenAsync(
        string patientId, BreakGlassRequest request, ClaimsPrincipal user, BreakGlassRegister register, CancellationToken cancellationToken)
    {
        var outcome = await register.OpenAsync(Caller.From(user)!.Subject, patientId, request.Reason, cancellationToken);
        return outcome.Problem == ProblemKind.None
            ? TypedResults.Created($"/api/v1/break-glass/{outcome.Value!.Id}", outcome.Value)
            : OutcomeResults.Problem(outcome);
    }

    private static async Task<Results<NoContent, NotFound>> ReviewAsync(
        string accessId, ClaimsPrincipal user, BreakGlassRegister register, CancellationToken cancellationToken) =>
        await register.ReviewAsync(accessId, Caller.From(user)!.AuditName, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
