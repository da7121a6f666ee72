namespace OpenWard.Server.Access;

/// <summary>
/// Endpoint filters that apply <see cref="PatientAccess"/> to every route naming a patient
/// (<c>{patientId}</c>) or an alert (<c>{alertId}</c>): 404 when there is no such patient or alert, and
/// the same 404 when the caller has no relationship with the patient — so that a caller cannot learn
/// which patient ids exist by trying them. A caller who can have no clinical relationship with any
/// patient (<see cref="PatientAccess.WhyNoClinicalRelationshipAsync"/>) is answered 403 with the reason
/// instead, here and on the lists (<see cref="RequireClinicalRelationship"/>): the answer is the same
/// for every id, so it tells nothing about which exist.
/// </summary>
public static class PatientAccessFilters
{
    /// <summary>Refuses, with the reason, a caller who can have no clinical relationship with any patient (lists of clinical data).</summary>
    public static TBuilder RequireClinicalRelationship<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) => await NoRelationshipAsync(context.HttpContext) ?? await next(context));

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
            if (await NoRelationshipAsync(context.HttpContext) is { } refused)
            {
                return refused;
            }

            var alertId = context.HttpContext.GetRouteValue("alertId") as string ?? "";
            var alerts = context.HttpContext.RequestServices.GetRequiredService<IAlertPatients>();
            var patientId = await alerts.PatientOfAsync(alertId, context.HttpContext.RequestAborted);
            return patientId is null ? TypedResults.NotFound() : await CheckAsync(context.HttpContext, patientId) ?? await next(context);
        });

    private static async Task<IResult?> NoRelationshipAsync(HttpContext context)
    {
        var access = context.RequestServices.GetRequiredService<PatientAccess>();
        return await access.WhyNoClinicalRelationshipAsync(context.User, context.RequestAborted) is { } reason
            ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No clinical relationship", detail: reason)
            : null;
    }

    private static async Task<IResult?> CheckAsync(HttpContext context, string patientId)
    {
        if (await NoRelationshipAsync(context) is { } refused)
        {
            return refused;
        }

        var access = context.RequestServices.GetRequiredService<PatientAccess>();
        return await access.DecideAsync(context.User, patientId, context.RequestAborted) == PatientAccessDecision.Allowed
            ? null
            : TypedResults.NotFound();
    }
}
