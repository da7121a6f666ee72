using OpenWard.Server.Storage;

namespace OpenWard.Server.DeviceModels;

/// <summary>Registers device models' mapping templates: their table and the mappings in use.</summary>
public static class DeviceModelsSetup
{
    /// <summary>Adds the device model mappings.</summary>
    public static WebApplicationBuilder AddDeviceModels(this WebApplicationBuilder builder)
    {
        builder.Services.AddFeatureSchema(DeviceModelsSchema.Definition);
        builder.Services.AddSingleton<DeviceModelMappings>();
        return builder;
    }

    /// <summary>Loads the stored mapping templates, before any listener opens.</summary>
    public static Task PrepareDeviceModelsAsync(this WebApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<DeviceModelMappings>().LoadAsync(cancellationToken);

    /// <summary>Maps the device model mapping endpoints.</summary>
    public static WebApplication MapDeviceModels(this WebApplication app)
    {
        app.MapDeviceModelsApi();
        return app;
    }
}
