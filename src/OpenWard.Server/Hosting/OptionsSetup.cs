namespace OpenWard.Server.Hosting;

/// <summary>Binds and validates the host's <see cref="OpenWardOptions"/> at start-up; each feature binds its own.</summary>
public static class OptionsSetup
{
    /// <summary>Binds <c>OpenWard:…</c> and validates it when the host starts.</summary>
    public static WebApplicationBuilder AddOpenWardOptions(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<OpenWardOptions>(OpenWardOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddHostedService<StopReport>();
        return builder;
    }
}
