namespace OpenWard.Server.Storage;

/// <summary>Registers the clinical store itself: the database with its write turn and migrations, and the checkpoints.</summary>
public static class StorageSetup
{
    /// <summary>Adds the store's services.</summary>
    public static WebApplicationBuilder AddClinicalStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SqliteClinicalDatabase>();
        builder.Services.AddSingleton<ClinicalDatabase>(services => services.GetRequiredService<SqliteClinicalDatabase>());
        builder.Services.AddHostedService<WalCheckpointer>();
        return builder;
    }

    /// <summary>Creates or upgrades every feature's tables, before anything reads or writes them.</summary>
    public static Task PrepareClinicalStorageAsync(this WebApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<ClinicalDatabase>().PrepareAsync(cancellationToken);
}
