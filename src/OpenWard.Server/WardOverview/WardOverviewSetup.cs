namespace OpenWard.Server.WardOverview;

/// <summary>Registers the ward overview: one tile per patient the caller may see, and the audit of who looked.</summary>
public static class WardOverviewSetup
{
    /// <summary>Adds what the ward overview needs.</summary>
    public static WebApplicationBuilder AddWardOverview(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WardViewAudit>();
        return builder;
    }

    /// <summary>Maps the ward endpoint.</summary>
    public static WebApplication MapWardOverview(this WebApplication app)
    {
        app.MapWardApi();
        return app;
    }
}
