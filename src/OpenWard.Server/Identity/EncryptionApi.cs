using OpenWard.Server.Access;
using OpenWard.Server.Protection;

namespace OpenWard.Server.Identity;

/// <summary>
/// <c>POST /api/v1/encryption/rotate</c>: administrators rotate the data key that seals patient
/// identifiers, names and notes; every stored value is re-sealed under the new key at once.
/// </summary>
public static class EncryptionApi
{
    /// <summary>The key now in use.</summary>
    public sealed record RotatedKey(string ActiveKeyId);

    /// <summary>Maps the rotation endpoint.</summary>
    public static IEndpointRouteBuilder MapEncryptionApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/encryption/rotate", async (FieldProtector protector, CancellationToken ct) =>
                TypedResults.Ok(new RotatedKey(await protector.RotateAsync(ct))))
            .RequireAuthorization(AccessPolicies.ManageFleet)
            .WithTags("Security");
        return app;
    }
}
