namespace OpenWard.Server.Smart;

/// <summary>
/// An endpoint filter for FHIR routes that other policies already guard (such as submitting readings): a token
/// that carries SMART scopes must hold one allowing the action, or is refused with 403; a token without SMART
/// scopes is left to the route's policy. Read routes ask <see cref="SmartScopes"/> themselves.
/// </summary>
public static class SmartScopeFilter
{
    /// <summary>Requires, of a token with SMART scopes, one that allows <paramref name="permission"/> on <paramref name="resourceType"/>.</summary>
    public static TBuilder RequireSmartScopeWhenScoped<TBuilder>(this TBuilder builder, string resourceType, SmartPermissions permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var user = context.HttpContext.User;
            return SmartScopes.IsScopedClient(user) && !SmartScopes.Allows(user, resourceType, permission)
                ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                    detail: $"this token's SMART scopes do not allow {permission.ToString().ToLowerInvariant()} on {resourceType}")
                : await next(context);
        });
}
