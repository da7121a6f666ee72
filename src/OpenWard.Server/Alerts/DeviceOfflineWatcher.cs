using System.Globalization;
using Microsoft.Extensions.Options;
using OpenWard.Core.Alerting;
using OpenWard.Server.Devices;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Device offline: a patient's device whose MQTT connection has been gone for longer than it usually
/// goes without reporting raises a warning for its patient, resolved when it connects again. How long
/// that is follows the device's expected reporting interval — its model's, where
/// <c>OpenWard:Alerting:ReportingIntervals</c> gives one, or else learnt from the device's own gaps
/// (<see cref="ReportingGaps"/>) — times one and a half, and is never shorter than
/// <c>OpenWard:Alerting:OfflineAfter</c>: a wristband that holds its connection is missed after a
/// quarter of an hour, a scale that reports once a day after a day and a half. (A device that only
/// uploads now and then shows up through expected readings instead.)
/// </summary>
public sealed class DeviceOfflineWatcher(
    DeviceConnectivity connectivity, DeviceDirectory directory, AlertService alerts, AlertStore alertStore, IOptions<AlertingOptions> options, TimeProvider clock,
    ILogger<DeviceOfflineWatcher> logger) : PeriodicCheck(options.Value.EscalationCheck, clock, logger)
{
    /// <summary>The condition prefix; the device id follows.</summary>
    public const string Prefix = "device-offline:";

    /// <summary>How much longer than its expected interval a device may stay away before it is reported.</summary>
    public const double Margin = 1.5;

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

    /// <summary>How often the device is expected to report: its model's configured interval, or the one learnt from its gaps.</summary>
    public TimeSpan? ExpectedInterval(string deviceId) =>
        directory.ModelOf(deviceId) is { } model && options.Value.ReportingIntervals.TryGetValue(model, out var configured)
            ? configured
            : connectivity.GapsOf(deviceId).Expected;

    /// <summary>How long the device may be without a connection before it is reported offline.</summary>
    public TimeSpan OfflineAfter(string deviceId) => OfflineAfter(ExpectedInterval(deviceId), options.Value.OfflineAfter);

    /// <summary>How long a device expected to report every <paramref name="expected"/> may be without a connection: one and a half times that, never less than <paramref name="least"/>.</summary>
    public static TimeSpan OfflineAfter(TimeSpan? expected, TimeSpan least) =>
        expected is { } interval && interval * Margin > least ? interval * Margin : least;

    /// <summary>Raises alerts for devices newly offline and resolves those back online.</summary>
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = connectivity.Now;
        foreach (var (deviceId, since) in connectivity.NewlyOffline(now, OfflineAfter))
        {
            if (directory.IsActive(deviceId) && directory.PatientAt(deviceId, now) is { } patientId)
            {
                var usually = ExpectedInterval(deviceId) is { } expected && expected * Margin > options.Value.OfflineAfter
                    ? $"; it usually reports every {Duration(expected)}" : "";
                var sinceText = since.UtcDateTime.Date == now.UtcDateTime.Date
                    ? since.ToString("HH:mm", CultureInfo.InvariantCulture)
                    : since.ToString("d MMM HH:mm", CultureInfo.InvariantCulture);
                await alerts.ApplyAsync(patientId, [new RuleFinding(Prefix + deviceId, AlertSeverity.Warning,
                    $"Device {deviceId} offline for {Duration(now - since)} (no connection since {sinceText} UTC{usually})", now)], cancellationToken);
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

    // "12 min", "36 h", "3 d": whole units, as a nurse reads them.
    private static string Duration(TimeSpan span) => span.TotalMinutes < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min")
        : span.TotalHours < 72
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d");
}
