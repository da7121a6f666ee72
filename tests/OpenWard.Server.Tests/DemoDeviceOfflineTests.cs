using OpenWard.Server.Alerts;
using OpenWard.Server.Demo;
using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Ward;

namespace OpenWard.Server.Tests;

/// <summary>
/// The demo ward's devices live through days, dropping their connection now and then as the simulator makes them,
/// connecting again as the simulator's runner does (<see cref="SimulatedDevice.ConnectsNow"/>); each time without a
/// connection is held against how long the server lets that device's model go before it reports it offline
/// (<see cref="DeviceOfflineWatcher.OfflineAfter(TimeSpan?, TimeSpan)"/> with the simulated models' reporting intervals):
/// a demo raises no "device offline" warning for a device that is only between its uses.
/// </summary>
public sealed class DemoDeviceOfflineTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("2026-03-02T05:00:00Z")]
    [InlineData("2026-07-14T19:30:00Z")]
    public void DemoWard_DevicesBetweenTheirUses_StayWithinWhatTheServerAllowsThem(string startText)
    {
        var options = new AlertingOptions();
        new SimulatedReportingIntervals().PostConfigure(null, options);
        var start = DateTimeOffset.Parse(startText, System.Globalization.CultureInfo.InvariantCulture);
        var plan = WardPlan.Create(WardPlan.DemoPatients, WardPlan.DemoSeed, "demo-", WardPlan.DemoScenarios);
        var ward = SimulatedWard.Create(plan, start, TimeSpan.Zero);

        var longest = ward.Devices.ToDictionary(d => d.Id, _ => TimeSpan.Zero);
        var disconnectedAt = new Dictionary<string, DateTimeOffset>();
        var end = start + TimeSpan.FromDays(3);
        for (var now = start + Step; now <= end; now += Step)
        {
            foreach (var device in ward.Devices)
            {
                var wasOnline = device.Online;
                var uploads = device.Step(now);
                if (wasOnline && !device.Online)
                {
                    disconnectedAt[device.Id] = now;
                }
                else if (disconnectedAt.TryGetValue(device.Id, out var since) && device.ConnectsNow(uploads.Count > 0))
                {
                    longest[device.Id] = Max(longest[device.Id], now - since);
                    disconnectedAt.Remove(device.Id);
                }
            }
        }

        foreach (var (deviceId, since) in disconnectedAt)
        {
            longest[deviceId] = Max(longest[deviceId], end - since);
        }

        foreach (var device in ward.Devices)
        {
            var model = DeviceCatalogue.Model(device.Kind);
            var allowed = DeviceOfflineWatcher.OfflineAfter(options.ReportingIntervals.GetValueOrDefault(model), options.OfflineAfter);
            Assert.True(longest[device.Id] < allowed,
                $"{device.Id} ({model}) was without a connection for {longest[device.Id]}; the server reports it offline after {allowed}");
        }

        // The days did drop connections: spot-check devices then waited for their next use, longer than a quarter of an hour.
        Assert.Contains(ward.Devices, d => !DeviceCatalogue.HoldsConnection(d.Kind) && longest[d.Id] > options.OfflineAfter);
    }

    [Fact]
    public void SimulatedModels_ConfiguredByTheOperator_KeepTheirConfiguredInterval()
    {
        var scale = DeviceCatalogue.Model(DeviceKind.Scale);
        var options = new AlertingOptions { ReportingIntervals = new(StringComparer.OrdinalIgnoreCase) { [scale] = TimeSpan.FromDays(7) } };
        new SimulatedReportingIntervals().PostConfigure(null, options);

        Assert.Equal(TimeSpan.FromDays(7), options.ReportingIntervals[scale]);
        Assert.Equal(TimeSpan.FromHours(9), options.ReportingIntervals[DeviceCatalogue.Model(DeviceKind.GlucoseMeter)]);
        Assert.False(options.ReportingIntervals.ContainsKey(DeviceCatalogue.Model(DeviceKind.PulseOximeter)));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
