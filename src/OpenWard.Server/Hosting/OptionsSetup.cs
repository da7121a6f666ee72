namespace OpenWard.Server.Hosting;

/// <summary>Binds and validates <see cref="OpenWardOptions"/> at start-up.</summary>
public static class OptionsSetup
{
    /// <summary>Binds <c>OpenWard:…</c> and validates it when the host starts.</summary>
    public static WebApplicationBuilder AddOpenWardOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OpenWardOptions>()
            .Bind(builder.Configuration.GetSection(OpenWardOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        builder.Services.AddProblemDetails();
        return builder;
    }
}
