using System.Collections.Concurrent;
using OpenWard.Mapping.Destination;
using OpenWard.Mapping.Templates;
using OpenWard.Server.Storage;

namespace OpenWard.Server.DeviceModels;

/// <summary>
/// The mapping templates of device models that send their own JSON (data, not code): kept in the
/// store, checked before they are accepted, and held loaded in memory for the gateway. A mapping set
/// through one node reaches the other nodes sharing the store through a signal (<see cref="StoreSignals"/>).
/// </summary>
public sealed partial class DeviceModelMappings(ClinicalDatabase database, StoreSignals signals, TimeProvider clock, ILogger<DeviceModelMappings> logger)
{
    private const string Topic = "device-model";

    private readonly ConcurrentDictionary<string, ModelMapping> byModel = new(StringComparer.Ordinal);

    /// <summary>The loaded mapping for a model, or null when it has none.</summary>
    public ModelMapping? Find(string model) => byModel.GetValueOrDefault(model);

    /// <summary>Loads every stored mapping; called at start, and again when this node may have missed other nodes' changes.</summary>
    public Task LoadAsync(CancellationToken cancellationToken) => LoadAsync(model: null, cancellationToken);

    /// <summary>Keeps this node's mappings up to date with those set through other nodes; called once at start.</summary>
    public void ListenToOtherNodes() => signals.Listen(Topic, (signal, ct) => LoadAsync(signal.Subject, ct), LoadAsync);

    // Loads one model's mapping, or every model's, from the store.
    private async Task LoadAsync(string? model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT model, device_mapping, fhir_mapping, updated_at FROM device_model_mappings"
            + (model is null ? ";" : " WHERE model = @model;");
        if (model is not null)
        {
            query.AddParameter("@model", model);
        }

        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var device = DeviceMapping.Load(reader.GetString(1));
            var fhir = FhirMapping.Load(reader.GetString(2));
            if (device.Template is null || fhir.Template is null)
            {
                // Accepted once, refused now: this version checks more. The model's messages are dead-lettered until it is fixed.
                LogStoredMappingInvalid(logger, device.Errors.Count + fhir.Errors.Count);
                continue;
            }

            byModel[reader.GetString(0)] = new ModelMapping(device.Template, fhir.Template, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
        }
    }

    /// <summary>The stored template texts of a model, or null when it has none.</summary>
    public async Task<(string DeviceMapping, string FhirMapping, DateTimeOffset UpdatedAt)?> ReadAsync(string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT device_mapping, fhir_mapping, updated_at FROM device_model_mappings WHERE model = @model;";
        query.AddParameter("@model", model);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
            : null;
    }

    /// <summary>Checks both templates and, when neither has an error, stores them for the model and starts using them.</summary>
    public async Task<MappingUpdate> SetAsync(string model, string deviceMappingJson, string fhirMappingJson, CancellationToken cancellationToken)
    {
        var device = DeviceMapping.Load(deviceMappingJson);
        var fhir = FhirMapping.Load(fhirMappingJson);
        var warnings = device.Warnings.Select(w => "deviceMapping: " + w).Concat(fhir.Warnings.Select(w => "fhirMapping: " + w)).ToList();
        if (device.Template is null || fhir.Template is null)
        {
            return new MappingUpdate { DeviceMappingErrors = device.Errors, FhirMappingErrors = fhir.Errors, Warnings = warnings };
        }

        var now = clock.GetUtcNow();
        await database.WriteAsync(async connection =>
        {
            await using var upsert = connection.CreateCommand();
            upsert.CommandText = """
                INSERT INTO device_model_mappings (model, device_mapping, fhir_mapping, updated_at) VALUES (@model, @device, @fhir, @now)
                ON CONFLICT (model) DO UPDATE SET device_mapping = excluded.device_mapping, fhir_mapping = excluded.fhir_mapping, updated_at = excluded.updated_at;
                """;
            upsert.AddParameter("@model", model);
            upsert.AddParameter("@device", deviceMappingJson);
            upsert.AddParameter("@fhir", fhirMappingJson);
            upsert.AddParameter("@now", now.ToUnixTimeMilliseconds());
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

        var stored = new ModelMapping(device.Template, fhir.Template, now);
        byModel[model] = stored;
        await signals.SendAsync(Topic, model, cancellationToken);
        return new MappingUpdate { Stored = stored, Warnings = warnings };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A stored device-model mapping no longer loads ({Errors} errors); set it again through the API")]
    private static partial void LogStoredMappingInvalid(ILogger logger, int errors);
}
