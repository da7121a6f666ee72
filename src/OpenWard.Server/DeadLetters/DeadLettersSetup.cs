using OpenWard.Server.Storage;

namespace OpenWard.Server.DeadLetters;

/// <summary>Registers the dead letters: their table and queries (the group commit writes them with the readings).</summary>
public static class DeadLettersSetup
{
    /// <summary>Adds the dead-letter queries.</summary>
    public static WebApplicationBuilder AddDeadLetters(this WebApplicationBuilder builder)
    {
        builder.Services.AddFeatureSchema(DeadLettersSchema.Definition);
        builder.Services.AddSingleton<DeadLetterQueries>();
        return builder;
    }

    /// <summary>Maps the dead-letter endpoints.</summary>
    public static WebApplication MapDeadLetters(this WebApplication app)
    {
        app.MapDeadLettersApi();
        return app;
    }
}
