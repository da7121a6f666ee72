using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Devices;

namespace OpenWard.Testing;

/// <summary>
/// A server whose device connections are timed by a clock the test moves, so that a device's days
/// between reports pass in a moment: offline after 15 minutes at least, and a model ("Test Weekly Scale")
/// configured to report once a week.
/// </summary>
public sealed class ReportingIntervalServer : RunningServer
{
    /// <summary>A model whose reporting interval is configured: seven days.</summary>
    public const string WeeklyModel = "Test Weekly Scale";

    /// <summary>The clock of the devices' connections: it stands still until a test moves it.</summary>
    public FakeTimeProvider DeviceClock { get; } = new(DateTimeOffset.UtcNow);

    protected override IEnumerable<string> ExtraArguments =>
    [
        "--OpenWard:Alerting:OfflineAfter=00:15:00",
        "--OpenWard:Alerting:EscalationCheck=00:00:00.200",
        $"--OpenWard:Alerting:ReportingIntervals:{WeeklyModel}=7.00:00:00",
    ];

    // The connections only: the watcher's rounds run on the server's clock and measure absences on this one.
    protected override void AddServices(IServiceCollection services) =>
        services.AddSingleton(_ => new DeviceConnectivity(DeviceClock));
}
