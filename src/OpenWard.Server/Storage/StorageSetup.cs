namespace OpenWard.Server.Storage;

/// <summary>Registers the clinical store: the database with its migrations, the readings' group commit and queries, and the checkpoints.</summary>
public static class StorageSetup
{
    /// <summary>Adds the store's services.</summary>
    public static WebApplicationBuilder AddClinicalStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClinicalDatabase>();
        builder.Services.AddFeatureSchema(ReadingsSchema.Definition);
        builder.Services.AddSingleton<ReadingCommitter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReadingCommitter>());
        builder.Services.AddHostedService<WalCheckpointer>();
        builder.Services.AddSingleton<ReadingQueries>();
        return builder;
    }

    /// <summary>Creates or upgrades every feature's tables, before anything reads or writes them.</summary>
    public static Task PrepareClinicalStorageAsync(this WebApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<ClinicalDatabase>().PrepareAsync(cancellationToken);
}
