using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Audit;

/// <summary>Registers the audit trail: its table, the hash-chained appends, the queries and the anchors kept outside the database.</summary>
public static class AuditSetup
{
    /// <summary>Adds the audit trail's services and settings (<c>OpenWard:Audit</c>).</summary>
    public static WebApplicationBuilder AddAuditTrail(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<AuditOptions>(AuditOptions.Section);
        builder.Services.AddFeatureSchema(AuditSchema.Definition);
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<AuditQueries>();
        builder.Services.AddSingleton<AuditAnchors>();
        builder.Services.AddHostedService<AuditAnchoring>();
        return builder;
    }

    /// <summary>Maps the audit trail's endpoints.</summary>
    public static WebApplication MapAuditTrail(this WebApplication app)
    {
        app.MapAuditApi();
        return app;
    }
}
