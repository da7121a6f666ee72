using OpenWard.Server.Storage;

namespace OpenWard.Server.Hl7;

/// <summary>Registers HL7 v2 over MLLP: the registered senders, who speaks on a connection, and the message intake.</summary>
public static class Hl7Setup
{
    /// <summary>Adds the HL7 services.</summary>
    public static WebApplicationBuilder AddHl7Interface(this WebApplicationBuilder builder)
    {
        builder.Services.AddFeatureSchema(Hl7SendersSchema.Definition);
        builder.Services.AddSingleton<Hl7SenderRegistry>();
        builder.Services.AddSingleton<Hl7SenderRecognition>();
        builder.Services.AddSingleton<MllpConnectionLimits>();
        builder.Services.AddSingleton<Hl7Ingest>();
        return builder;
    }

    /// <summary>Loads the registered senders before any listener opens.</summary>
    public static Task PrepareHl7SendersAsync(this WebApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<Hl7SenderRegistry>().LoadAsync(cancellationToken);
}
