using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Audit;

/// <summary>
/// Anchors the audit trail at start, every <see cref="AuditOptions.AnchorIntervalSeconds"/> while
/// records are being added, and at shutdown, so that only the records of the last interval are ever
/// covered by the hash chain alone.
/// </summary>
public sealed class AuditAnchoring(AuditAnchors anchors, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditAnchoring> logger)
    : PeriodicCheck(TimeSpan.FromSeconds(options.Value.AnchorIntervalSeconds), clock, logger)
{
    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await anchors.AnchorAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override Task CheckAsync(CancellationToken cancellationToken) => anchors.AnchorAsync(cancellationToken);

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Written even when the host's time to stop has run out on other services: it is one read and one line.
        await anchors.AnchorAsync(CancellationToken.None);
    }
}
