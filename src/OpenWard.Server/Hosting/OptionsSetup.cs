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
        builder.Services.AddOptions<MllpLimitsOptions>()
            .Bind(builder.Configuration.GetSection(MllpLimitsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The API and the alerts hub write the same JSON: camel case, enums by name, nulls left out.
        builder.Services.ConfigureHttpJsonOptions(json => Alerts.AlertJson.Configure(json.SerializerOptions));
        builder.Services.AddProblemDetails();
        return builder;
    }
}
