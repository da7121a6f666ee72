namespace OpenWard.Server.WardOverview;

/// <summary>Registers the ward overview: one tile per patient the caller may see, the audit of who looked, and the notices that tell open consoles a patient changed.</summary>
public static class WardOverviewSetup
{
    /// <summary>Adds what the ward overview needs.</summary>
    public static WebApplicationBuilder AddWardOverview(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WardViewAudit>();
        builder.Services.AddSingleton<WardNotices>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WardNotices>());
        return builder;
    }

    /// <summary>Maps the ward endpoint.</summary>
    public static WebApplication MapWardOverview(this WebApplication app)
    {
        app.MapWardApi();
        return app;
    }
}
