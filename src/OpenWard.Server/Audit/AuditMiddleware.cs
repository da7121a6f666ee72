using Microsoft.AspNetCore.Routing;

namespace OpenWard.Server.Audit;

/// <summary>
/// Records every request to the APIs, the FHIR endpoints, the token endpoint and the hubs in the
/// audit trail once it has been answered: who (the signed-in client, or the device for device
/// uploads), what (method and route), which patient, from where, and the status code. Sign-ins
/// record the client id, never the secret.
/// </summary>
public sealed partial class AuditMiddleware(RequestDelegate next, AuditTrail trail, ILogger<AuditMiddleware> logger)
{
    private static readonly string[] Audited = ["/api/", "/fhir", "/connect/token", "/hubs/"];

    /// <summary>Handles a request, then audits it.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (!Audited.Any(prefix => context.Request.Path.StartsWithSegments(prefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            try
            {
                await trail.AppendAsync(await ActorAsync(context), Action(context), AuditedPatient.Of(context),
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown", context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    CancellationToken.None);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogAuditFailed(logger, exception);
            }
        }
    }

    private static async Task<string> ActorAsync(HttpContext context)
    {
        if (Access.Caller.From(context.User) is { } caller)
        {
            return caller.AuditName;
        }

        if (context.GetRouteValue("deviceId") is string deviceId && context.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return "device:" + deviceId;
        }

        // A client id that names no client is recorded as unknown: what a caller types there is not for the trail.
        if (context.Request.Path.StartsWithSegments("/connect/token") && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync();
            if (form["client_id"].ToString() is { Length: > 0 and <= 200 } clientId)
            {
                var applications = context.RequestServices.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
                return await applications.FindByClientIdAsync(clientId, CancellationToken.None) is null ? "client:unknown" : "client:" + clientId;
            }
        }

        return "anonymous";
    }

    private static string Action(HttpContext context)
    {
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
        return $"{context.Request.Method} {(route.StartsWith('/') ? route : "/" + route)}";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the audit trail failed")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception);
}
