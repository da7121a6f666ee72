using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;
using OpenWard.Server.Api;
using OpenWard.Server.Storage;

namespace OpenWard.Server.People;

/// <summary><c>/api/v1/users</c>: administrators create, list, unlock and disable (revoking their tokens) the accounts people sign in with.</summary>
public static class UsersApi
{
    /// <summary>An account to create. <c>patientId</c> is given for (and only for) a patient's own account.</summary>
    public sealed record NewUser(string? UserName, string? DisplayName, string? Role, string? Password, string? PatientId = null);

    /// <summary>Maps the user endpoints.</summary>
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").RequireAuthorization(AccessPolicies.ManageFleet).WithTags("People");
        users.MapGet("/", async (UserDirectory directory, CancellationToken ct) => TypedResults.Ok(await directory.ListAsync(ct)));
        users.MapPost("/", AddAsync);
        users.MapPost("/{userId}/unlock", async Task<Results<NoContent, NotFound>> (string userId, UserDirectory directory, CancellationToken ct) =>
            await directory.UnlockAsync(userId, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        users.MapPost("/{userId}/disable", DisableAsync);
        return app;
    }

    // Disabling also ends every session the person has, so an open console loses access at its next call and stops hearing alerts.
    private static async Task<Results<NoContent, NotFound>> DisableAsync(
        string userId, UserDirectory directory, IPersonSessions sessions, CancellationToken cancellationToken)
    {
        if (!await directory.DisableAsync(userId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        await sessions.EndAsync(userId, cancellationToken);
        return TypedResults.NoContent();
    }

    // A patient's account is linked to their record in the record's own audit trail, where the patient and their care
    // team see it; it opens the record only once the care team confirms it (PortalAccountsApi).
    private static async Task<Results<Created<UserAccount>, ProblemHttpResult>> AddAsync(
        NewUser request, HttpContext context, UserDirectory directory, Audit.AuditTrail trail, CancellationToken cancellationToken)
    {
        var outcome = await directory.AddAsync(request.UserName ?? "", request.DisplayName ?? "", request.Role ?? "",
            request.Password ?? "", request.PatientId, cancellationToken);
        if (outcome.Problem != ProblemKind.None)
        {
            return OutcomeResults.Problem(outcome);
        }

        var user = outcome.Value!;
        if (user.PatientId is { } patientId)
        {
            await trail.AppendAsync(Caller.From(context.User)!.AuditName, $"link portal account {user.Id}", patientId,
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown", "awaiting the care team's confirmation", cancellationToken);
        }

        return TypedResults.Created($"/api/v1/users/{user.Id}", user);
    }
}
