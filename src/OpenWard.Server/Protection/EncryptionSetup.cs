using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Protection;

/// <summary>Registers encryption at rest: the wrapped data keys' table and the field protector that seals patients' names, identifiers and notes.</summary>
public static class EncryptionSetup
{
    /// <summary>Adds the field protector and its settings (<c>OpenWard:Encryption</c>).</summary>
    public static WebApplicationBuilder AddEncryptionAtRest(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<EncryptionOptions>(EncryptionOptions.Section);
        builder.Services.AddFeatureSchema(EncryptionSchema.Definition);
        builder.Services.AddSingleton<FieldProtector>();
        return builder;
    }

    /// <summary>Loads the keys (making them on first start) and seals any value still in clear, once the tables exist.</summary>
    public static Task PrepareEncryptionAtRestAsync(this WebApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<FieldProtector>().PrepareAsync(cancellationToken);
}
