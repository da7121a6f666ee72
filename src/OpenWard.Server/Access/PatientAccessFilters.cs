namespace OpenWard.Server.Access;

/// <summary>
/// Endpoint filters that apply <see cref="PatientAccess"/> to every route naming a patient
/// (<c>{patientId}</c>) or an alert (<c>{alertId}</c>): 404 when there is no such patient or alert, and
/// the same 404 when the caller has no relationship with the patient — so that a caller cannot learn
/// which patient ids exist by trying them.
/// </summary>
public static class PatientAccessFilters
{
    /// <summary>Requires a relationship with the patient named by the route's <c>{patientId}</c>.</summary>
    public static TBuilder RequirePatientAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var patientId = context.HttpContext.GetRouteValue("patientId") as string ?? "";
            return await CheckAsync(context.HttpContext, patientId) ?? await next(context);
        });

    /// <summary>Requires a relationship with the patient whose alert the route's <c>{alertId}</c> names.</summary>
    public static TBuilder RequireAlertAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var alertId = context.HttpContext.GetRouteValue("alertId") as string ?? "";
            var alerts = context.HttpContext.RequestServices.GetRequiredService<IAlertPatients>();
            var patientId = await alerts.PatientOfAsync(alertId, context.HttpContext.RequestAborted);
            return patientId is null ? TypedResults.NotFound() : await CheckAsync(context.HttpContext, patientId) ?? await next(context);
        });

    private static async Task<IResult?> CheckAsync(HttpContext context, string patientId)
    {
        var access = context.RequestServices.GetRequiredService<PatientAccess>();
        return await access.DecideAsync(context.User, patientId, context.RequestAborted) == PatientAccessDecision.Allowed
            ? null
            : TypedResults.NotFound();
    }
}
