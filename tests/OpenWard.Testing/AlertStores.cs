using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenWard.Server.Alerts;
using OpenWard.Server.Hosting;
using OpenWard.Server.Patients;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Testing;

/// <summary>The alert store on a store started for a test, with what the server gives it (who hears about a patient, the channels its options configure, the delivery queue).</summary>
public static class AlertStores
{
    /// <summary>The alert store on <paramref name="database"/>, wired as the server wires it, with these alerting settings (default: none configured).</summary>
    public static AlertStore Create(
        ClinicalDatabase database, FieldProtector protector, IOptions<OpenWardOptions> options, TimeProvider clock, AlertingOptions? alerting = null)
    {
        var services = new ServiceCollection()
            .AddSingleton(database)
            .AddSingleton(protector)
            .AddSingleton(options)
            .AddSingleton(Options.Create(alerting ?? new AlertingOptions()))
            .AddSingleton(clock)
            .AddSingleton<PatientRegistry>()
            .AddSingleton<PatientAudience>()
            .AddSingleton<DeliveryQueue>()
            .AddSingleton<IAlertChannel, WebhookChannel>()
            .AddSingleton<IAlertChannel, EmailChannel>()
            .AddSingleton<AlertStore>();
        services.AddHttpClient();
        return services.BuildServiceProvider().GetRequiredService<AlertStore>();
    }
}
