using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>Registers the readings: their table, the group commit that stores them with the dead letters, and the queries.</summary>
public static class ReadingsSetup
{
    /// <summary>Adds the readings' services.</summary>
    public static WebApplicationBuilder AddReadings(this WebApplicationBuilder builder)
    {
        builder.Services.AddFeatureSchema(ReadingsSchema.Definition);
        builder.Services.AddSingleton<ReadingCommitter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReadingCommitter>());
        builder.Services.AddSingleton<ReadingQueries>();
        return builder;
    }
}
