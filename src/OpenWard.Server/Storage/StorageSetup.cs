using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Storage;

/// <summary>
/// Registers the clinical store itself, on the engine <c>OpenWard:Store:Provider</c> names: SQLite
/// (the database file with its write turn and its checkpoints) or PostgreSQL, with the signals
/// between the nodes that share it (<see cref="StoreSignals"/>).
/// </summary>
public static class StorageSetup
{
    /// <summary>Adds the store's services.</summary>
    public static WebApplicationBuilder AddClinicalStorage(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<StoreOptions>(StoreOptions.Section);
        builder.Services.AddSingleton<StoreReadiness>();
        if (ValidatedOptions.Read<StoreOptions>(builder.Configuration, StoreOptions.Section).IsPostgreSql)
        {
            builder.Services.AddSingleton(services => new PostgreSqlClinicalDatabase(
                services.GetRequiredService<IOptions<StoreOptions>>().Value.ConnectionString!,
                services.GetServices<FeatureSchema>(),
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<PostgreSqlClinicalDatabase>>()));
            builder.Services.AddSingleton<ClinicalDatabase>(services => services.GetRequiredService<PostgreSqlClinicalDatabase>());
            builder.Services.AddSingleton<PostgreSqlStoreSignals>();
            builder.Services.AddSingleton<StoreSignals>(services => services.GetRequiredService<PostgreSqlStoreSignals>());
            builder.Services.AddHostedService(services => services.GetRequiredService<PostgreSqlStoreSignals>());
            return builder;
        }

        builder.Services.AddSingleton<SqliteClinicalDatabase>();
        builder.Services.AddSingleton<ClinicalDatabase>(services => services.GetRequiredService<SqliteClinicalDatabase>());
        builder.Services.AddHostedService<WalCheckpointer>();
        builder.Services.AddSingleton<StoreSignals>();
        return builder;
    }

    /// <summary>Whether the store is on PostgreSQL, for features that bring an engine's own part (the readings' group commit, the identity store).</summary>
    public static bool StoreIsPostgreSql(this WebApplicationBuilder builder) =>
        ValidatedOptions.Read<StoreOptions>(builder.Configuration, StoreOptions.Section).IsPostgreSql;

    /// <summary>Creates or upgrades every feature's tables, before anything reads or writes them.</summary>
    public static Task PrepareClinicalStorageAsync(this WebApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<ClinicalDatabase>().PrepareAsync(cancellationToken);
}
