using System.Text.Json;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// "Device offline" follows each device's expected reporting interval: a scale that connects once a day
/// learns a day from its gaps and is reported after a day and a half (the learnt gaps kept across a
/// restart), a model configured to report weekly waits ten and a half days, and a wristband that held
/// its connection is still missed after the configured quarter of an hour — which is how each test
/// knows the watcher has looked.
/// </summary>
public sealed class DeviceReportingIntervalTests(ReportingIntervalServer server) : IClassFixture<ReportingIntervalServer>
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task AScaleThatReportsOnceADay_IsReportedOffline_OnlyAfterADayAndAHalf()
    {
        var patientId = await server.AddPatientAsync();
        var (scaleId, scaleSecret) = await server.RegisterDeviceAsync("scale", "Test Daily Scale");
        await server.AssignAsync(scaleId, patientId);

        // Four daily connections make three gaps of a day: enough to learn from.
        for (var day = 0; day < 3; day++)
        {
            await ReportAsync(scaleId, scaleSecret);
            server.DeviceClock.Advance(Day);
        }

        // The learnt gaps are kept with the device across a restart.
        await server.RestartAsync();
        await ReportAsync(scaleId, scaleSecret);
        await NoOpenOfflineAlertAsync(patientId, scaleId);

        var wristband = await DisconnectedWristbandAsync(patientId);
        server.DeviceClock.Advance(TimeSpan.FromHours(20));
        await OpenOfflineAlertAsync(patientId, wristband);
        Assert.Null(await OfflineAlertAsync(patientId, scaleId, "active"));

        server.DeviceClock.Advance(TimeSpan.FromHours(16));
        var offline = await OpenOfflineAlertAsync(patientId, scaleId);
        var summary = offline.GetProperty("summary").GetString();
        Assert.StartsWith($"Device {scaleId} offline for 36 h", summary, StringComparison.Ordinal);
        Assert.Contains("it usually reports every 24 h", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModelConfiguredToReportWeekly_IsReportedOffline_OnlyAfterTenAndAHalfDays()
    {
        var patientId = await server.AddPatientAsync();
        var (scaleId, scaleSecret) = await server.RegisterDeviceAsync("weekly", ReportingIntervalServer.WeeklyModel);
        await server.AssignAsync(scaleId, patientId);
        await ReportAsync(scaleId, scaleSecret);

        var wristband = await DisconnectedWristbandAsync(patientId);
        server.DeviceClock.Advance(TimeSpan.FromDays(10));
        await OpenOfflineAlertAsync(patientId, wristband);
        Assert.Null(await OfflineAlertAsync(patientId, scaleId, "active"));

        server.DeviceClock.Advance(TimeSpan.FromDays(1));
        var offline = await OpenOfflineAlertAsync(patientId, scaleId);
        Assert.Contains("it usually reports every 7 d", offline.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeviceThatHoldsItsConnection_LearnsItsShortGaps_AndIsStillMissedAfterAQuarterOfAnHour()
    {
        var patientId = await server.AddPatientAsync();
        var (deviceId, secret) = await server.RegisterDeviceAsync("band", "Test Wristband");
        await server.AssignAsync(deviceId, patientId);

        // Brief drops of a few seconds: the learnt interval is far below the configured least.
        for (var drop = 0; drop < 4; drop++)
        {
            await ReportAsync(deviceId, secret);
            server.DeviceClock.Advance(TimeSpan.FromSeconds(5));
        }

        await ReportAsync(deviceId, secret);
        server.DeviceClock.Advance(TimeSpan.FromMinutes(16));
        var offline = await OpenOfflineAlertAsync(patientId, deviceId);
        Assert.DoesNotContain("usually", offline.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    // The device connects and leaves again, as a scale does after sending its weight.
    private async Task ReportAsync(string deviceId, string secret)
    {
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        await device.DisconnectAsync(cancellationToken: TestContext.Current.CancellationToken);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(server.DeviceClock.GetUtcNow().ToUnixTimeMilliseconds());
        await Eventually.MatchAsync(() => server.GetJsonAsync("/api/v1/device-status"),
            all => all.EnumerateArray().Any(d => d.GetProperty("id").GetString() == deviceId && !d.GetProperty("connected").GetBoolean()
                && d.TryGetProperty("lastSeenAt", out var seen) && seen.GetDateTimeOffset() == now),
            $"device {deviceId} heard from now and disconnected again");
    }

    // A device with no gaps to learn from, gone from now on: reported after the configured 15 minutes.
    private async Task<string> DisconnectedWristbandAsync(string patientId)
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync("band", "Test Wristband");
        await server.AssignAsync(deviceId, patientId);
        await ReportAsync(deviceId, secret);
        return deviceId;
    }

    private async Task NoOpenOfflineAlertAsync(string patientId, string deviceId) =>
        await Eventually.MatchAsync(() => OfflineAlertAsync(patientId, deviceId, "active"), alert => alert is null,
            $"no open device-offline alert for {deviceId}");

    private async Task<JsonElement> OpenOfflineAlertAsync(string patientId, string deviceId) =>
        (await Eventually.MatchAsync(() => OfflineAlertAsync(patientId, deviceId, "active"), alert => alert is not null,
            $"an open device-offline alert for {deviceId}"))!.Value;

    private async Task<JsonElement?> OfflineAlertAsync(string patientId, string deviceId, string state)
    {
        var alerts = await server.GetJsonAsync($"/api/v1/alerts?state={state}&patientId={patientId}");
        return alerts.EnumerateArray().Where(a => a.GetProperty("condition").GetString() == $"device-offline:{deviceId}")
            .Select(a => (JsonElement?)a).FirstOrDefault();
    }
}
