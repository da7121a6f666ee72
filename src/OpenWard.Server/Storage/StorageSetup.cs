using OpenWard.Server.DeadLetters;
using OpenWard.Server.DeviceModels;
using OpenWard.Server.Devices;
using OpenWard.Server.Patients;

namespace OpenWard.Server.Storage;

/// <summary>Registers the clinical store: database, group commit, checkpoints, registries, device telemetry, queries and the audit trail with its anchors.</summary>
public static class StorageSetup
{
    /// <summary>Adds the store's services.</summary>
    public static WebApplicationBuilder AddClinicalStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ClinicalDatabase>();
        builder.Services.AddFeatureSchema(ReadingsSchema.Definition);
        builder.Services.AddFeatureSchema(PatientsSchema.Definition);
        builder.Services.AddFeatureSchema(DevicesSchema.Definition);
        builder.Services.AddFeatureSchema(DeadLettersSchema.Definition);
        builder.Services.AddFeatureSchema(DeviceModelsSchema.Definition);
        builder.Services.AddFeatureSchema(Audit.AuditSchema.Definition);
        builder.Services.AddFeatureSchema(Protection.EncryptionSchema.Definition);
        builder.Services.AddSingleton<Protection.FieldProtector>();
        builder.Services.AddSingleton<ReadingCommitter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReadingCommitter>());
        builder.Services.AddHostedService<WalCheckpointer>();
        builder.Services.AddSingleton<ReadingQueries>();
        builder.Services.AddSingleton<DeadLetterQueries>();
        builder.Services.AddSingleton<PatientRegistry>();
        builder.Services.AddSingleton<DeviceDirectory>();
        builder.Services.AddSingleton<DeviceRegistry>();
        builder.Services.AddSingleton<DeviceConnectivity>();
        builder.Services.AddSingleton<DeviceStatusRecorder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeviceStatusRecorder>());
        builder.Services.AddSingleton<DeviceModelMappings>();
        builder.Services.AddSingleton<Audit.AuditTrail>();
        builder.Services.AddSingleton<Audit.AuditQueries>();
        builder.Services.AddSingleton<Audit.AuditAnchors>();
        builder.Services.AddHostedService<Audit.AuditAnchoring>();
        return builder;
    }

    /// <summary>Creates or checks the schema and loads the device directory, the devices' last seen and battery, and model mappings, before any listener opens.</summary>
    public static async Task PrepareClinicalStorageAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        await app.Services.GetRequiredService<ClinicalDatabase>().PrepareAsync(cancellationToken);
        await app.Services.GetRequiredService<Protection.FieldProtector>().PrepareAsync(cancellationToken);
        await app.Services.GetRequiredService<DeviceRegistry>().LoadDirectoryAsync(cancellationToken);
        await app.Services.GetRequiredService<DeviceStatusRecorder>().LoadAsync(cancellationToken);
        await app.Services.GetRequiredService<DeviceModelMappings>().LoadAsync(cancellationToken);
    }
}
