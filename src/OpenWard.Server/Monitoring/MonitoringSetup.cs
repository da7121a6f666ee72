using OpenWard.Server.Cluster;

namespace OpenWard.Server.Monitoring;

/// <summary>Registers patient monitoring: the node's Orleans silo (alone, or in a cluster), the feed from the store to the grains, and the start-up roll call.</summary>
public static class MonitoringSetup
{
    /// <summary>Adds the silo, the feed and its dispatcher, and the roll call at start-up (after alerting and the ward overview, which the grains and the dispatcher tell).</summary>
    public static WebApplicationBuilder AddPatientMonitoring(this WebApplicationBuilder builder)
    {
        builder.AddSilo();
        builder.Services.AddSingleton<PatientFeed>();
        builder.Services.AddSingleton<Alerts.IAlertSettingsListener, PatientSettingsReload>();
        builder.Services.AddHostedService<PatientMonitorDispatcher>();
        builder.Services.AddHostedService<PatientRollCall>();
        return builder;
    }
}
