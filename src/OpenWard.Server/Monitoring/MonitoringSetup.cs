using OpenWard.Server.Hosting;

namespace OpenWard.Server.Monitoring;

/// <summary>Registers patient monitoring: one in-process Orleans silo, the feed from the store to the grains, and the start-up roll call.</summary>
public static class MonitoringSetup
{
    /// <summary>Adds the alert notifier the grains hand changes to, the silo, the feed and its dispatcher, and the roll call at start-up.</summary>
    public static WebApplicationBuilder AddPatientMonitoring(this WebApplicationBuilder builder)
    {
        var silo = OpenWardOptions.From(builder.Configuration).Orleans;
        // Before the silo, so that it stops after it: what the grains told is still delivered on shutdown.
        builder.Services.AddHostedService(services => services.GetRequiredService<Alerts.AlertNotifier>());
        builder.UseOrleans(orleans => orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, serviceId: "openward", clusterId: "openward"));
        builder.Services.AddSingleton<PatientFeed>();
        builder.Services.AddSingleton<Alerts.IAlertSettingsListener, PatientSettingsReload>();
        builder.Services.AddSingleton<WardOverview.WardNotices>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WardOverview.WardNotices>());
        builder.Services.AddHostedService<PatientMonitorDispatcher>();
        builder.Services.AddHostedService<PatientRollCall>();
        return builder;
    }
}
