using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;

namespace OpenWard.Server.Identity;

/// <summary>
/// <c>POST /api/v1/clients</c>: administrators create API clients for integrations;
/// <c>DELETE /api/v1/clients/{clientId}</c> revokes one, with every token it holds.
/// </summary>
public static class ClientsApi
{
    /// <summary>A request to create a client.</summary>
    public sealed record NewClient(string Name, string? Role);

    /// <summary>Maps the clients endpoint.</summary>
    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/clients", CreateAsync).RequireAuthorization(AccessPolicies.ManageFleet).WithTags("Clients");
        app.MapDelete("/api/v1/clients/{clientId}", DeleteAsync).RequireAuthorization(AccessPolicies.ManageFleet).WithTags("Clients");
        return app;
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteAsync(
        string clientId, System.Security.Claims.ClaimsPrincipal user, ApiClients clients, Alerts.LiveAlertConnections connections,
        CancellationToken cancellationToken)
    {
        if (Caller.From(user) is { IsPerson: false } caller && caller.Subject == clientId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: "a client cannot revoke itself");
        }

        if (!await clients.DeleteAsync(clientId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        connections.Close(new Caller(clientId, "", IsPerson: false).AuditName);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<ApiClientCredentials>, ValidationProblem>> CreateAsync(
        NewClient request, ApiClients clients, CancellationToken cancellationToken)
    {
        var role = request.Role ?? ClientRoles.Integration;
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["name must be 1 to 200 characters"] });
        }

        if (!ClientRoles.All.Contains(role))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"role must be one of {string.Join(", ", ClientRoles.All)}"] });
        }

        var created = await clients.CreateAsync(request.Name.Trim(), role, cancellationToken);
        return TypedResults.Created($"/api/v1/clients/{created.ClientId}", created);
    }
}
