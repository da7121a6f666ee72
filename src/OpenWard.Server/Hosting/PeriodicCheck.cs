namespace OpenWard.Server.Hosting;

/// <summary>
/// A background check that runs every <c>period</c> until shutdown: a failed round is logged and
/// the next one tried, since everything it works from is in the store.
/// </summary>
public abstract partial class PeriodicCheck(TimeSpan period, TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The clock the rounds run by.</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>One round of the check.</summary>
    public abstract Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>Whether the first round runs as the service starts (in the background), not one period later.</summary>
    protected virtual bool FirstRoundAtStart => false;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, Clock);
        try
        {
            if (FirstRoundAtStart)
            {
                await Task.Yield(); // the host's start goes on meanwhile
                await RoundAsync(stoppingToken);
            }

            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; what was due is picked up after the restart.
        }
    }

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            await CheckAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRoundFailed(logger, GetType().Name, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Check} failed; retrying on the next round")]
    private static partial void LogRoundFailed(ILogger logger, string check, Exception exception);
}
