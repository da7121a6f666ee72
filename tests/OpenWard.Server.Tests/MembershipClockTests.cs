using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Server.Cluster;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// The silo's watchdog runs on <see cref="MembershipClock"/>, whose timestamps count from the silo's start:
/// a check time Orleans has not stamped yet (0) reads as younger than the process, not as the machine's uptime.
/// </summary>
public sealed class MembershipClockTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public void SiloWatchdog_ReadsAnUnstampedTimeAsYoungerThanTheProcess()
    {
        // Orleans' watchdog is internal: found by name, and its clock by type.
        var watchdogType = Type.GetType("Orleans.Runtime.Watchdog, Orleans.Runtime", throwOnError: true)!;
        var watchdog = server.Services.GetRequiredService(watchdogType);
        var clock = watchdogType.GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
            .Where(field => field.FieldType == typeof(TimeProvider))
            .Select(field => field.GetValue(watchdog))
            .Single();

        var membershipClock = Assert.IsType<MembershipClock>(clock);
        var processAge = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Assert.True(membershipClock.GetElapsedTime(0) <= processAge,
            $"an unstamped time reads as {membershipClock.GetElapsedTime(0)}, older than the process ({processAge})");
    }
}
