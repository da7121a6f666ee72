using OpenWard.Server.Storage;

namespace OpenWard.Server.Hl7;

/// <summary>Registers the HL7 v2 senders: who may send, and for which devices and care teams (the MLLP intake is part of the gateway).</summary>
public static class Hl7Setup
{
    /// <summary>Adds the sender registry.</summary>
    public static WebApplicationBuilder AddHl7Senders(this WebApplicationBuilder builder)
    {
        builder.Services.AddFeatureSchema(Hl7SendersSchema.Definition);
        builder.Services.AddSingleton<Hl7SenderRegistry>();
        return builder;
    }

    /// <summary>Loads the registered senders (and keeps them up to date with other nodes' changes) before any listener opens.</summary>
    public static async Task PrepareHl7SendersAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        var registry = app.Services.GetRequiredService<Hl7SenderRegistry>();
        await registry.LoadAsync(cancellationToken);
        registry.ListenToOtherNodes();
    }

    /// <summary>Maps the HL7 sender endpoints.</summary>
    public static WebApplication MapHl7Senders(this WebApplication app)
    {
        app.MapHl7SendersApi();
        return app;
    }
}
