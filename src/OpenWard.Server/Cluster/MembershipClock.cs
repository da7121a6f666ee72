using System.Diagnostics;

namespace OpenWard.Server.Cluster;

/// <summary>
/// The clock of the silo's membership and health checks (Orleans' <c>TimeProviderNames.Membership</c>),
/// whose timestamps count from the moment the silo's services are made rather than from the machine's
/// boot. Orleans' watchdog starts its runtime check before it stamps the time of its first component
/// check; a runtime check that runs in between — likely on a busy first start — reads the unstamped
/// timestamp 0 as the machine's uptime and warned "Participant check thread has not completed for
/// 1.00:53:48" (and counted it against the silo's health). Counted from the silo's start, 0 is a moment
/// ago. Only the origin differs: every elapsed time between two timestamps is the system clock's.
/// </summary>
public sealed class MembershipClock : TimeProvider
{
    private readonly long origin = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public override long GetTimestamp() => Stopwatch.GetTimestamp() - origin;
}
