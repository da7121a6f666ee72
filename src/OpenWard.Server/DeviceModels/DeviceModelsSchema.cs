using OpenWard.Server.Storage;

namespace OpenWard.Server.DeviceModels;

/// <summary>Mapping templates for device models that send their own JSON.</summary>
public static class DeviceModelsSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("device-models",
    [
        SchemaMigration.Sql(1, "device model mappings as at schema 9", """
            CREATE TABLE IF NOT EXISTS device_model_mappings (
                model          TEXT PRIMARY KEY,
                device_mapping TEXT NOT NULL,
                fhir_mapping   TEXT NOT NULL,
                updated_at     INTEGER NOT NULL
            );
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "device model mappings", """
                CREATE TABLE device_model_mappings (
                    model          TEXT PRIMARY KEY,
                    device_mapping TEXT NOT NULL,
                    fhir_mapping   TEXT NOT NULL,
                    updated_at     BIGINT NOT NULL
                );
                """),
        ],
    };
}
