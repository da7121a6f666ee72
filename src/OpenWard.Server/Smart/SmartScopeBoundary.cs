namespace OpenWard.Server.Smart;

/// <summary>
/// A token with SMART scopes is for the FHIR API: under <c>/fhir</c> its scopes say what it may read; anywhere
/// else (<c>/api/v1</c>, the live alerts hub) it is refused with 403 and the reason, so that a backend service
/// granted <c>system/Observation.rs</c> cannot read more through OpenWard's own API.
/// </summary>
public static class SmartScopeBoundary
{
    /// <summary>The path under which tokens with SMART scopes are accepted.</summary>
    public const string FhirPath = "/fhir";

    /// <summary>Refuses tokens with SMART scopes outside <see cref="FhirPath"/>. Runs after authentication.</summary>
    public static IApplicationBuilder UseSmartScopeBoundary(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments(FhirPath) && SmartScopes.IsScopedClient(context.User))
        {
            await Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: $"this token carries SMART scopes and is accepted only by the FHIR API under {FhirPath}").ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
