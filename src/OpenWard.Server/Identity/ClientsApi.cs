using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;
using OpenWard.Server.Smart;

namespace OpenWard.Server.Identity;

/// <summary>
/// <c>POST /api/v1/clients</c>: administrators create API clients for integrations — with a secret, or as a
/// backend service with its public keys (<c>jwks</c>) and SMART scopes;
/// <c>DELETE /api/v1/clients/{clientId}</c> revokes one, with every token it holds.
/// </summary>
public static class ClientsApi
{
    /// <summary>
    /// A request to create a client: with a secret, or — given <paramref name="Jwks"/>, the public keys it signs
    /// with — a backend service (SMART Backend Services) that may be granted <paramref name="Scopes"/>
    /// (<c>system/*.rs</c> when none are given).
    /// </summary>
    public sealed record NewClient(string Name, string? Role, System.Text.Json.JsonElement? Jwks = null, IReadOnlyList<string>? Scopes = null);

    /// <summary>What a backend service is granted when it is registered without scopes: reading every resource type.</summary>
    public const string DefaultBackendServiceScope = "system/*.rs";

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

    private static async Task<Results<Created<ApiClientCredentials>, Created<BackendServiceRegistration>, ValidationProblem>> CreateAsync(
        NewClient request, ApiClients clients, CancellationToken cancellationToken)
    {
        var role = request.Role ?? ClientRoles.Integration;
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return Invalid("name", "name must be 1 to 200 characters");
        }

        if (!ClientRoles.All.Contains(role))
        {
            return Invalid("role", $"role must be one of {string.Join(", ", ClientRoles.All)}");
        }

        if (request.Jwks is { } jwks)
        {
            return await CreateBackendServiceAsync(request.Name.Trim(), role, jwks, request.Scopes, clients, cancellationToken);
        }

        if (request.Scopes is { Count: > 0 })
        {
            return Invalid("scopes", "SMART scopes are granted to backend services, which register their public keys (jwks) instead of a secret");
        }

        var created = await clients.CreateAsync(request.Name.Trim(), role, cancellationToken);
        return TypedResults.Created($"/api/v1/clients/{created.ClientId}", created);
    }

    private static async Task<Results<Created<ApiClientCredentials>, Created<BackendServiceRegistration>, ValidationProblem>> CreateBackendServiceAsync(
        string name, string role, System.Text.Json.JsonElement jwks, IReadOnlyList<string>? scopes, ApiClients clients, CancellationToken cancellationToken)
    {
        if (role != ClientRoles.Integration)
        {
            return Invalid("role", "a backend service (jwks) is an integration: it reads through FHIR and administers nothing");
        }

        var keys = BackendServiceKeys.Read(jwks);
        if (keys.Value is null)
        {
            return Invalid("jwks", keys.Reason!);
        }

        var granted = scopes is { Count: > 0 } ? scopes : [DefaultBackendServiceScope];
        foreach (var text in granted)
        {
            if (!SmartScope.TryParse(text, out var scope, out var reason))
            {
                return Invalid("scopes", reason);
            }

            if ((scope.Permissions & ~(SmartPermissions.Read | SmartPermissions.Search)) != 0)
            {
                return Invalid("scopes", $"'{text}': OpenWard's FHIR API is read-only; grant read and search (.rs or .read)");
            }
        }

        var created = await clients.CreateBackendServiceAsync(name, role, keys.Value, [.. granted.Distinct(StringComparer.Ordinal)], cancellationToken);
        return TypedResults.Created($"/api/v1/clients/{created.ClientId}", created);
    }

    private static ValidationProblem Invalid(string field, string reason) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] });
}
