namespace OpenWard.Server.Storage;

/// <summary>
/// <c>GET /health/ready</c>, for load balancers: <c>200 ok</c> while the node can write to its store,
/// <c>503 not ready</c> otherwise (<see cref="StoreReadiness"/>). It is open to everyone and not
/// audited: it reads no patient data and says nothing beyond those two words.
/// </summary>
public static class ReadinessEndpoint
{
    /// <summary>The endpoint's path.</summary>
    public const string Path = "/health/ready";

    /// <summary>Maps the endpoint.</summary>
    public static WebApplication MapReadiness(this WebApplication app)
    {
        app.MapGet(Path, AnswerAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AnswerAsync(StoreReadiness readiness, HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        return await readiness.IsReadyAsync(cancellationToken)
            ? Results.Text("ok\n", "text/plain")
            : Results.Text("not ready\n", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
