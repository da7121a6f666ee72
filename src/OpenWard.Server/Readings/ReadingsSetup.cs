using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>
/// Registers the readings: their table, the group commit that stores them with the dead letters (its
/// writes made by the store's engine: one writer on SQLite, <c>OpenWard:Store:ReadingWriters</c> on
/// PostgreSQL; gathering for <c>OpenWard:Store:GroupCommitWindow</c>), the retention period, and the queries.
/// </summary>
public static class ReadingsSetup
{
    /// <summary>Adds the readings' services.</summary>
    public static WebApplicationBuilder AddReadings(this WebApplicationBuilder builder)
    {
        builder.Services.AddFeatureSchema(ReadingsSchema.Definition);
        builder.AddValidatedOptions<ReadingRetentionOptions>(ReadingRetentionOptions.Section);
        if (builder.StoreIsPostgreSql())
        {
            // One registration per writer: each is a writer of its own, with its own connection.
            var writers = ValidatedOptions.Read<StoreOptions>(builder.Configuration, StoreOptions.Section).ReadingWriters;
            for (var i = 0; i < writers; i++)
            {
                builder.Services.AddSingleton<ReadingBatchWriter, PostgreSqlReadingWriter>();
            }

            // Before the group commit: today's partitions are there before the first reading.
            builder.Services.AddHostedService<ReadingPartitions>();
            builder.Services.AddHostedService<ReadingIdIndex>();
        }
        else
        {
            builder.Services.AddSingleton<ReadingBatchWriter, SqliteReadingWriter>();
            builder.Services.AddHostedService<SqliteReadingRetention>();
        }

        var window = ValidatedOptions.Read<StoreOptions>(builder.Configuration, StoreOptions.Section).EffectiveGroupCommitWindow;
        builder.Services.AddSingleton(services => new ReadingCommitter(
            services.GetServices<ReadingBatchWriter>(), services.GetRequiredService<ILogger<ReadingCommitter>>(), window));
        builder.Services.AddHostedService(services => services.GetRequiredService<ReadingCommitter>());
        builder.Services.AddSingleton<ReadingQueries>();
        builder.Services.AddSingleton<ReadingStream>();
        builder.Services.AddSingleton<ReadingSearch>();
        return builder;
    }
}
