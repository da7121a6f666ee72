using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Registers alerting: the alert store and service, settings, NEWS2 history, escalation, who hears about a patient,
/// the notifier, delivery channels and the live hub. (The notifier runs as a hosted service started by monitoring.)
/// </summary>
public static class AlertingSetup
{
    /// <summary>Adds the alerting services.</summary>
    public static WebApplicationBuilder AddAlerting(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<AlertingOptions>(AlertingOptions.Section);
        // The API and the alerts hub write the same JSON: camel case, enums by name, nulls left out.
        builder.Services.ConfigureHttpJsonOptions(json => AlertJson.Configure(json.SerializerOptions));
        builder.Services.AddFeatureSchema(AlertsSchema.Definition);
        builder.Services.AddSingleton<AlertStore>();
        builder.Services.AddSingleton<Access.IAlertPatients>(services => services.GetRequiredService<AlertStore>());
        builder.Services.AddSingleton<AlertSettingsStore>();
        builder.Services.AddSingleton<News2History>();
        builder.Services.AddSingleton<AlertService>();
        builder.Services.AddSingleton<AlertNotifier>();
        // Registered before monitoring's silo, so that it stops after it: what the grains told is still delivered on shutdown.
        builder.Services.AddHostedService(services => services.GetRequiredService<AlertNotifier>());
        builder.Services.AddSingleton<PatientAudience>();
        builder.Services.AddSingleton<People.ICareTeamListener>(services => services.GetRequiredService<PatientAudience>());
        builder.Services.AddSingleton<AlertEscalator>();
        builder.Services.AddSingleton<DeliveryQueue>();
        builder.Services.AddHttpClient(nameof(WebhookChannel), client => client.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<IAlertChannel, WebhookChannel>();
        builder.Services.AddSingleton<IAlertChannel, EmailChannel>();
        builder.Services.AddHostedService<AlertDispatcher>();
        builder.Services.AddSingleton<DeviceOfflineWatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeviceOfflineWatcher>());
        builder.Services.AddHostedService(services => services.GetRequiredService<AlertEscalator>());
        builder.Services.AddSingleton<LiveAlertConnections>();
        builder.Services.AddSignalR().AddJsonProtocol(json => AlertJson.Configure(json.PayloadSerializerOptions));
        return builder;
    }

    /// <summary>Maps the alert endpoints and the live alerts hub.</summary>
    public static WebApplication MapAlerting(this WebApplication app)
    {
        app.MapAlertsApi();
        return app;
    }
}
