using OpenWard.Server.Alerts;

namespace OpenWard.Server.Security;

/// <summary>
/// Endpoint filters that apply <see cref="PatientAccess"/> to every route naming a patient
/// (<c>{patientId}</c>) or an alert (<c>{alertId}</c>): 404 when there is no such patient or alert,
/// 403 when the caller has no relationship with the patient.
/// </summary>
public static class PatientAccessFilters
{
    /// <summary>The answer's detail when access is refused.</summary>
    public const string DeniedDetail =
        "this patient is not looked after by any of your care teams; a clinician may open break-glass access with a reason";

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
            var store = context.HttpContext.RequestServices.GetRequiredService<AlertStore>();
            var patientId = await store.PatientOfAsync(alertId, context.HttpContext.RequestAborted);
            return patientId is null ? TypedResults.NotFound() : await CheckAsync(context.HttpContext, patientId) ?? await next(context);
        });

    private static async Task<IResult?> CheckAsync(HttpContext context, string patientId)
    {
        var access = context.RequestServices.GetRequiredService<PatientAccess>();
        return await access.DecideAsync(context.User, patientId, context.RequestAborted) switch
        {
            PatientAccessDecision.Allowed => null,
            PatientAccessDecision.NotFound => TypedResults.NotFound(),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: DeniedDetail),
        };
    }
}
