using OpenWard.Server.Hosting;

namespace OpenWard.Server.Protection;

/// <summary>
/// What every HTTP answer carries for browsers: no content sniffing, no framing, no referrer, a
/// content security policy that allows nothing the API does not need, HSTS over HTTPS, and CORS
/// only for the origins configured in <c>OpenWard:Web:AllowedOrigins</c>; access tokens in URLs
/// are refused except on the hubs.
/// </summary>
public static class WebHardening
{
    /// <summary>The content security policy of API answers.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// The content security policy of pages people use (the console and the sign-in page): this
    /// server's own scripts, styles and connections only — no inline script, no other origin.
    /// </summary>
    public const string PageContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Registers CORS for the configured origins and HSTS.</summary>
    public static WebApplicationBuilder AddWebHardening(this WebApplicationBuilder builder)
    {
        var origins = OpenWardOptions.From(builder.Configuration).Web.AllowedOrigins;
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (origins.Length > 0)
            {
                policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod();
            }
        }));
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }

    /// <summary>Adds the headers to every answer, HSTS over HTTPS, and CORS.</summary>
    public static WebApplication UseWebHardening(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = IsPage(context.Request.Path) ? PageContentSecurityPolicy : ContentSecurityPolicy;
                headers.CacheControl = headers.CacheControl.Count == 0 ? "no-store" : headers.CacheControl;
                return Task.CompletedTask;
            });
            await next(context);
        });
        app.UseHsts();
        app.UseCors();

        // Browsers cannot put headers on WebSockets, so the hub takes its token from the query string;
        // anywhere else a token in a URL would only end up in proxies' and browsers' histories.
        app.Use(async (context, next) =>
        {
            if (context.Request.Query.ContainsKey("access_token") && !context.Request.Path.StartsWithSegments("/hubs"))
            {
                await Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                    detail: "send the access token in the Authorization header; only /hubs takes it in the query string").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    private static bool IsPage(PathString path) =>
        path.StartsWithSegments(WebConsole.BasePath) || path.StartsWithSegments("/account") || path.StartsWithSegments("/connect/authorize");
}
