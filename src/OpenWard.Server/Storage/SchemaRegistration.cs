namespace OpenWard.Server.Storage;

/// <summary>How a feature puts its tables in the store.</summary>
public static class SchemaRegistration
{
    /// <summary>Registers a feature's schema; the store creates or upgrades it at start, before any listener opens.</summary>
    public static IServiceCollection AddFeatureSchema(this IServiceCollection services, FeatureSchema schema) =>
        services.AddSingleton(schema);
}
