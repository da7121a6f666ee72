using OpenWard.Server.Storage;

namespace OpenWard.Server.Devices;

/// <summary>Registers the device fleet: its tables, the registry and the in-memory directory, connectivity and device status.</summary>
public static class DevicesSetup
{
    /// <summary>Adds the fleet's services.</summary>
    public static WebApplicationBuilder AddDeviceFleet(this WebApplicationBuilder builder)
    {
        builder.Services.AddFeatureSchema(DevicesSchema.Definition);
        builder.Services.AddSingleton<DeviceDirectory>();
        builder.Services.AddSingleton<DeviceRegistry>();
        builder.Services.AddSingleton<DeviceConnectivity>();
        builder.Services.AddHostedService<ConnectivitySignals>();
        builder.Services.AddSingleton<DeviceStatusRecorder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeviceStatusRecorder>());
        return builder;
    }

    /// <summary>Loads the device directory (and keeps it up to date with other nodes' changes) and the devices' last status, before any listener opens.</summary>
    public static async Task PrepareDeviceFleetAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        var registry = app.Services.GetRequiredService<DeviceRegistry>();
        await registry.LoadDirectoryAsync(cancellationToken);
        registry.ListenToOtherNodes();
        await app.Services.GetRequiredService<DeviceStatusRecorder>().LoadAsync(cancellationToken);
    }

    /// <summary>Maps the fleet's endpoints.</summary>
    public static WebApplication MapDeviceFleet(this WebApplication app)
    {
        app.MapDevicesApi();
        return app;
    }
}
