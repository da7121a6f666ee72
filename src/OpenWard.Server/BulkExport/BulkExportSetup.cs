using OpenWard.Server.Hosting;

namespace OpenWard.Server.BulkExport;

/// <summary>Registers FHIR bulk export: the sources of each resource type, the exports of this node and their sweep, and the endpoints.</summary>
public static class BulkExportSetup
{
    /// <summary>Adds bulk export and its settings (<c>OpenWard:Fhir</c>).</summary>
    public static WebApplicationBuilder AddBulkExport(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<BulkExportOptions>(BulkExportOptions.Section);
        // In the order an export writes them: who, then with what, then what was measured.
        builder.Services.AddSingleton<IExportSource, PatientSource>();
        builder.Services.AddSingleton<IExportSource, DeviceSource>();
        builder.Services.AddSingleton<IExportSource, ObservationSource>();
        builder.Services.AddSingleton<ExportRunner>();
        builder.Services.AddSingleton<ExportPermissions>();
        builder.Services.AddSingleton<ExportJobs>();
        builder.Services.AddHostedService<ExportSweep>();
        return builder;
    }

    /// <summary>Maps the bulk export endpoints.</summary>
    public static WebApplication MapBulkExport(this WebApplication app)
    {
        app.MapBulkExportApi();
        return app;
    }
}
