namespace OpenWard.Server.Storage;

/// <summary>
/// Whether this node can take readings now: it is not shutting down, and it can open a write
/// transaction on its store (a writable PostgreSQL primary that answers, or the SQLite file's write
/// lock) within <see cref="ProbeLimit"/>. A load balancer asks often and anyone may ask, so the store
/// is probed at most once every <see cref="AnswerLifetime"/>; askers in between get the last answer.
/// </summary>
public sealed partial class StoreReadiness(ClinicalDatabase database, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<StoreReadiness> logger)
{
    /// <summary>How long one answer serves every asker before the store is probed again.</summary>
    public static readonly TimeSpan AnswerLifetime = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe may take before the node counts as not ready.</summary>
    public static readonly TimeSpan ProbeLimit = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim probing = new(1, 1);
    private (bool Ready, DateTimeOffset At)? last;

    /// <summary>Whether the node is ready: able to write to its store, and not stopping.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        // A stopping node says so first, so that the balancer sends no new connections while it drains.
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return false;
        }

        await probing.WaitAsync(cancellationToken);
        try
        {
            if (last is { } answer && clock.GetUtcNow() - answer.At < AnswerLifetime)
            {
                return answer.Ready;
            }

            var ready = await CanWriteAsync(cancellationToken);
            last = (ready, clock.GetUtcNow());
            return ready;
        }
        finally
        {
            probing.Release();
        }
    }

    private async Task<bool> CanWriteAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ProbeLimit);
        try
        {
            // An update of no row: both engines refuse it where the transaction cannot write (a read-only
            // PostgreSQL standby, a read-only file) and take their write lock for it, yet nothing is written.
            await database.WriteAsync(async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "UPDATE schema_migrations SET number = number WHERE 1 = 0;";
                await command.ExecuteNonQueryAsync(limit.Token);
            }, limit.Token).WaitAsync(limit.Token);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotReady(logger, e.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready: a write transaction on the store failed or took too long ({Error})")]
    private static partial void LogNotReady(ILogger logger, string error);
}
