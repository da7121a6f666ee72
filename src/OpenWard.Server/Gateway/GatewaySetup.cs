using MQTTnet.AspNetCore;
using OpenWard.Server.Cluster;
using OpenWard.Server.DeviceModels;
using OpenWard.Server.Devices;
using OpenWard.Server.Gateway.Fhir;
using OpenWard.Server.Gateway.Http;
using OpenWard.Server.Gateway.Mllp;
using OpenWard.Server.Gateway.Mqtt;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Gateway;

/// <summary>
/// Registers the ways in and the device guards: the MQTT broker inside Kestrel with its device rules,
/// HL7 v2 over MLLP, HTTPS device upload and FHIR ingest, each decoding through the one decoder seam
/// and handing what it decoded to the ingest pipeline. The listeners themselves are bound by
/// <see cref="Gateway.NetworkListeners"/>.
/// </summary>
public static class GatewaySetup
{
    /// <summary>Adds the device guard, the broker and its device rules, the MLLP intake and the decoders that need the fleet, which hand what they decode to the ingest pipeline.</summary>
    public static WebApplicationBuilder AddDeviceGateway(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<DeviceLimitsOptions>(DeviceLimitsOptions.Section);
        builder.Services.AddFeatureSchema(DeviceLimitsSchema.Definition);
        builder.Services.AddSingleton<DeviceGuard>();
        // One node counts in memory; the nodes of a cluster count together through the store.
        if (ValidatedOptions.Read<ClusterSettings>(builder.Configuration, ClusterSettings.Section).Enabled)
        {
            builder.Services.AddSingleton<DeviceLimitsStore>();
            builder.Services.AddHostedService<DeviceLimitsSharing>();
        }

        builder.Services.AddSingleton<DeviceModelDecoders>();
        builder.Services.AddSingleton<DeviceRefusals>();
        builder.Services.AddSingleton<MqttDeviceGateway>();
        builder.Services.AddSingleton<IDeviceSessions>(services => services.GetRequiredService<MqttDeviceGateway>());
        builder.Services.AddHostedMqttServer(options => options
            .WithoutDefaultEndpoint()
            .WithPersistentSessions(false)
            .WithMaxPendingMessagesPerClient(100));
        builder.Services.AddMqttConnectionHandler();
        builder.Services.AddHostedService<DeviceConnectionsShutdown>();
        builder.Services.AddConnections();
        builder.Services.AddSingleton<Hl7SenderRecognition>();
        builder.Services.AddSingleton<MllpConnectionLimits>();
        builder.Services.AddSingleton<Hl7Ingest>();
        return builder;
    }

    /// <summary>Attaches the device rules to the broker and maps the HTTPS device upload and FHIR ingestion endpoints.</summary>
    public static WebApplication MapDeviceGateway(this WebApplication app)
    {
        var gateway = app.Services.GetRequiredService<MqttDeviceGateway>();
        app.UseMqttServer(gateway.Attach);
        HttpIngestApi.Map(app);
        FhirIngestApi.Map(app);
        return app;
    }
}
