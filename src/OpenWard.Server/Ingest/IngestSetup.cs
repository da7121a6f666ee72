using MQTTnet.AspNetCore;

namespace OpenWard.Server.Ingest;

/// <summary>Registers the device gateway: the MQTT broker inside Kestrel and the ingest pipeline.</summary>
public static class IngestSetup
{
    /// <summary>Adds the broker, its device rules and the pipeline.</summary>
    public static WebApplicationBuilder AddDeviceGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngestPipeline>();
        builder.Services.AddSingleton<OpenWard.Server.Hl7.Hl7Ingest>();
        builder.Services.AddSingleton<OpenWard.Server.Hl7.MllpConnectionLimits>();
        builder.Services.AddSingleton<MqttDeviceGateway>();
        builder.Services.AddHostedMqttServer(options => options
            .WithoutDefaultEndpoint()
            .WithPersistentSessions(false)
            .WithMaxPendingMessagesPerClient(100));
        builder.Services.AddMqttConnectionHandler();
        builder.Services.AddConnections();
        return builder;
    }

    /// <summary>Attaches the device rules to the broker.</summary>
    public static WebApplication UseDeviceGateway(this WebApplication app)
    {
        var gateway = app.Services.GetRequiredService<MqttDeviceGateway>();
        app.UseMqttServer(gateway.Attach);
        return app;
    }
}
