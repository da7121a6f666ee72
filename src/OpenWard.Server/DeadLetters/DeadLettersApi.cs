using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;

namespace OpenWard.Server.DeadLetters;

/// <summary><c>GET /api/v1/dead-letters</c>: what devices sent that OpenWard refused, with the reasons.</summary>
public static class DeadLettersApi
{
    /// <summary>Maps the dead-letter endpoint.</summary>
    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/dead-letters", ListAsync)
            .RequireAuthorization(AccessPolicies.ManageFleet)
            .WithTags("Dead letters");
        return app;
    }

    private static async Task<Results<Ok<DeadLetterPage>, ValidationProblem>> ListAsync(
        DeadLetterQueries deadLetters, string? deviceId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        long? before = null;
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["cursor is not one this API returned"] });
            }

            before = id;
        }

        var (items, next) = await deadLetters.PageAsync(deviceId, Math.Clamp(limit ?? 100, 1, 1000), before, cancellationToken);
        return TypedResults.Ok(new DeadLetterPage(items, next));
    }
}
