using System.Globalization;
using Microsoft.Extensions.Options;
using OpenWard.Core.Alerting;
using OpenWard.Server.Devices;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Device offline: a patient's device whose MQTT connection has been gone for
/// <c>OpenWard:Alerting:OfflineAfter</c> raises a warning for its patient, resolved when it connects
/// again. (A device that only uploads now and then shows up through expected readings instead.)
/// </summary>
public sealed class DeviceOfflineWatcher(
    DeviceConnectivity connectivity, DeviceDirectory directory, AlertService alerts, AlertStore alertStore, IOptions<AlertingOptions> options, TimeProvider clock,
    ILogger<DeviceOfflineWatcher> logger) : PeriodicCheck(options.Value.EscalationCheck, clock, logger)
{
    /// <summary>The condition prefix; the device id follows.</summary>
    public const string Prefix = "device-offline:";

    /// <summary>
    /// Before the listeners open: the devices whose "device offline" alert is still open are known as
    /// reported, so that the alert is resolved when they connect again after a restart.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var alert in await alertStore.OpenWithConditionAsync(Prefix, cancellationToken))
        {
            connectivity.AbsentSince(alert.Condition[Prefix.Length..], alert.RaisedAt, reported: true);
        }

        await base.StartAsync(cancellationToken);
    }

    /// <summary>Raises alerts for devices newly offline and resolves those back online.</summary>
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        foreach (var (deviceId, since) in connectivity.NewlyOffline(now, options.Value.OfflineAfter))
        {
            if (directory.IsActive(deviceId) && directory.PatientAt(deviceId, now) is { } patientId)
            {
                var minutes = (int)(now - since).TotalMinutes;
                await alerts.ApplyAsync(patientId, [new RuleFinding(Prefix + deviceId, AlertSeverity.Warning,
                    string.Create(CultureInfo.InvariantCulture, $"Device {deviceId} offline for {minutes} min (no connection since {since:HH:mm} UTC)"), now)], cancellationToken);
            }
        }

        foreach (var deviceId in connectivity.BackOnline())
        {
            if (directory.PatientAt(deviceId, now) is { } patientId)
            {
                await alerts.ApplyAsync(patientId, [new RuleFinding(Prefix + deviceId, null, $"Device {deviceId} connected again", now)], cancellationToken);
            }
        }
    }
}
