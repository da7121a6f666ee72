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

    /// <summary>Loads the stored mapping templates (and keeps them up to date with other nodes'), before any listener opens.</summary>
    public static async Task PrepareDeviceModelsAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        var mappings = app.Services.GetRequiredService<DeviceModelMappings>();
        await mappings.LoadAsync(cancellationToken);
        mappings.ListenToOtherNodes();
    }

    /// <summary>Maps the device model mapping endpoints.</summary>
    public static WebApplication MapDeviceModels(this WebApplication app)
    {
        app.MapDeviceModelsApi();
        return app;
    }
}
