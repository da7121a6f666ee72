using Microsoft.Extensions.Options;
using OpenWard.Server.Alerts;

namespace OpenWard.Server.Demo;

/// <summary>Registers demo mode; <c>--demo</c> on the command line turns it on.</summary>
public static class DemoSetup
{
    /// <summary>Turns the bare <c>--demo</c> flag into the configuration key it stands for.</summary>
    public static string[] TranslateArguments(string[] args) =>
        [.. args.Select(a => a == "--demo" ? "--OpenWard:Demo:Enabled=true" : a)];

    /// <summary>Adds the demo ward (idle unless enabled) and the simulated devices' reporting intervals.</summary>
    public static WebApplicationBuilder AddDemoWard(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>()
            .Bind(builder.Configuration.GetSection("OpenWard:Demo"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IPostConfigureOptions<AlertingOptions>, SimulatedReportingIntervals>();
        builder.Services.AddSingleton<DemoWard>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DemoWard>());
        return builder;
    }
}
