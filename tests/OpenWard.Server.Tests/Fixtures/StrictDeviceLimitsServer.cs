namespace OpenWard.Server.Tests.Fixtures;

/// <summary>A server whose devices may send one message a second after a burst of three.</summary>
public sealed class StrictDeviceLimitsServer : RunningServer
{
    protected override IEnumerable<string> ExtraArguments => ["--OpenWard:Devices:MessagesPerSecond=1", "--OpenWard:Devices:Burst=3"];
}
