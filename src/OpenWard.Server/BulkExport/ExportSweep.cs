using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.BulkExport;

/// <summary>
/// Deletes expired exports' files in the background, a tenth of their lifetime apart (between a
/// second and a minute); deletes what an earlier run left at start, and stops running exports at shutdown.
/// </summary>
public sealed class ExportSweep(ExportJobs jobs, IOptions<BulkExportOptions> options, TimeProvider clock, ILogger<ExportSweep> logger)
    : PeriodicCheck(Period(options.Value.ExportLifetime), clock, logger)
{
    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.ForgetLeftovers();
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await jobs.StopAllAsync();
    }

    /// <inheritdoc />
    public override Task CheckAsync(CancellationToken cancellationToken)
    {
        jobs.Sweep();
        return Task.CompletedTask;
    }

    private static TimeSpan Period(TimeSpan lifetime) =>
        TimeSpan.FromTicks(Math.Clamp(lifetime.Ticks / 10, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
}
