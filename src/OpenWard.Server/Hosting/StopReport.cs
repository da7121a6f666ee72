namespace OpenWard.Server.Hosting;

/// <summary>
/// Says how the server stopped, as the last thing it logs: "OpenWard stopped gracefully" when every part
/// stopped within the host's shutdown time, or a warning when that time ran out and what was still
/// stopping (the Orleans silo, the group commit) was cut short. Registered first, so that it hears the
/// end of the stop last.
/// </summary>
public sealed partial class StopReport(IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<StopReport> logger) : HostMoments
{
    private long? stopBegan;

    /// <inheritdoc />
    public override Task StartedAsync(CancellationToken cancellationToken)
    {
        // A signal (Ctrl+C, SIGTERM) stops the application before the host stops its services.
        lifetime.ApplicationStopping.Register(Began);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task StoppingAsync(CancellationToken cancellationToken)
    {
        Began();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task StoppedAsync(CancellationToken cancellationToken)
    {
        var took = clock.GetElapsedTime(stopBegan ?? clock.GetTimestamp()).TotalSeconds;
        if (cancellationToken.IsCancellationRequested)
        {
            LogCutShort(logger, took);
        }
        else
        {
            LogGraceful(logger, took);
        }

        return Task.CompletedTask;
    }

    private void Began() => stopBegan ??= clock.GetTimestamp();

    [LoggerMessage(Level = LogLevel.Information, Message = "OpenWard stopped gracefully ({Seconds:0.0} s)")]
    private static partial void LogGraceful(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "OpenWard stopped after {Seconds:0.0} s, when the shutdown time ran out: what was still stopping was cut short")]
    private static partial void LogCutShort(ILogger logger, double seconds);
}
