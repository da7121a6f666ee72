namespace OpenWard.Testing;

/// <summary>A server whose devices may send one message a second after a burst of three, and whose administrators hear of ten failed sign-ins for one device.</summary>
public sealed class StrictDeviceLimitsServer : RunningServer
{
    protected override IEnumerable<string> ExtraArguments =>
        ["--OpenWard:Devices:MessagesPerSecond=1", "--OpenWard:Devices:Burst=3", "--OpenWard:Devices:GuessingAlertAfterFailures=10"];
}
