using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenWard.Server.Access;
using OpenWard.Server.Api;
using OpenWard.Server.People;

namespace OpenWard.Server.Identity;

/// <summary>
/// <c>POST /api/v1/token-keys/rotate</c> (<c>openward keys rotate</c>): administrators retire the token
/// signing key now, for every node sharing the store; tokens it signed stay valid for two days, longer
/// than any token lives.
/// </summary>
public static class TokenKeysApi
{
    /// <summary>The signing key retired and the one that signs from now on (their <c>kid</c>s).</summary>
    public sealed record SigningKeyRotation(string Retired, string Signing);

    /// <summary>Maps the rotation endpoint.</summary>
    public static IEndpointRouteBuilder MapTokenKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/token-keys/rotate", RotateAsync)
            .RequireAuthorization(AccessPolicies.ManageFleet)
            .WithTags("Security");
        return app;
    }

    private static async Task<Results<Ok<SigningKeyRotation>, ProblemHttpResult>> RotateAsync(
        TokenKeyStore store, TokenKeyRing ring, IOptions<SignInOptions> signIn, CancellationToken cancellationToken)
    {
        // Two refresh rounds: time for every node to have read the key that signs next.
        var rotated = await store.RotateAsync(TimeSpan.FromSeconds(2 * signIn.Value.TokenKeyRefreshSeconds), cancellationToken);
        if (rotated.Value is not { } keys)
        {
            return OutcomeResults.Problem(rotated);
        }

        ring.Use(keys);
        var retired = keys.Where(k => k.State == TokenKey.Retired).MaxBy(k => k.Since)!;
        return TypedResults.Ok(new SigningKeyRotation(retired.Id, ring.Keys.Signing.KeyId));
    }
}
