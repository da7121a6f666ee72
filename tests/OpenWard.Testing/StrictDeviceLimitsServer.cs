using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Gateway;

namespace OpenWard.Testing;

/// <summary>
/// A server whose devices may send one message a second after a burst of three, and whose administrators
/// hear of ten failed sign-ins for one device; its device guard counts back-offs and rates by
/// <see cref="GuardClock"/>.
/// </summary>
public sealed class StrictDeviceLimitsServer : RunningServer
{
    /// <summary>The clock of the device guard: it stands still until a test moves it.</summary>
    public FakeTimeProvider GuardClock { get; } = new(DateTimeOffset.UtcNow);

    protected override IEnumerable<string> ExtraArguments =>
        ["--OpenWard:Devices:MessagesPerSecond=1", "--OpenWard:Devices:Burst=3", "--OpenWard:Devices:GuessingAlertAfterFailures=10"];

    // The guard only: the silo and the periodic checks take the server's TimeProvider too, and would
    // stop on a clock that stands still.
    protected override void AddServices(IServiceCollection services) =>
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<DeviceGuard>(provider, GuardClock));
}
