using Npgsql;

namespace OpenWard.Server.Storage;

/// <summary>
/// Store signals on PostgreSQL: sent with <c>pg_notify</c> on one channel, heard on a connection of this
/// node's own that LISTENs to it. A signal names the node that sent it, so a node does not act on its
/// own. When the listening connection is lost (PostgreSQL restarted, the network cut) the node opens
/// another, and, since what was signalled meanwhile is gone, runs every topic's <c>missed</c> callback.
/// </summary>
public sealed partial class PostgreSqlStoreSignals(PostgreSqlClinicalDatabase database, ILogger<PostgreSqlStoreSignals> logger)
    : StoreSignals, IHostedService
{
    private const string Channel = "openward_signals";

    // A listening connection idle this long is asked whether it is still there.
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LongestRetryWait = TimeSpan.FromSeconds(30);

    private readonly string node = Guid.NewGuid().ToString("N");
    // Never disposed: it has no timer, and the listening that uses it may end after the host is disposed.
    private readonly CancellationTokenSource stopping = new();
    private readonly Queue<string> heard = new();
    private Task? listening;

    /// <summary>
    /// Sends the signal. A signal that cannot be sent (the store unreachable) is logged, not thrown: the
    /// change it tells of is already stored, and the other nodes, whose listening breaks too, catch up.
    /// </summary>
    public override async Task SendAsync(string topic, string subject, CancellationToken cancellationToken)
    {
        try
        {
            await database.WriteAsync(async connection =>
            {
                await using var notify = connection.CreateCommand();
                notify.CommandText = "SELECT pg_notify(@channel, @payload);";
                notify.AddParameter("@channel", Channel);
                notify.AddParameter("@payload", $"{node}\n{topic}\n{subject}");
                await notify.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSendFailed(logger, exception, topic);
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        listening = Task.Run(() => ListenAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (listening is not null)
        {
            await listening.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var wait = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.Writable.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) =>
                {
                    lock (heard)
                    {
                        heard.Enqueue(notification.Payload);
                    }
                };
                await using (var listen = connection.CreateCommand())
                {
                    listen.CommandText = $"LISTEN {Channel};";
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                await CatchUpAsync(stoppingToken);
                wait = TimeSpan.FromSeconds(1);
                while (true)
                {
                    if (!await connection.WaitAsync(Quiet, stoppingToken))
                    {
                        await using var ping = connection.CreateCommand();
                        ping.CommandText = "SELECT 1;";
                        await ping.ExecuteNonQueryAsync(stoppingToken);
                    }

                    await DispatchAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogListeningLost(logger, exception, wait.TotalSeconds);
                await Task.Delay(wait, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetryWait.Ticks));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // What was signalled while this node was not listening is gone: each topic catches up from the store.
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        foreach (var (topic, listener) in Listeners)
        {
            if (listener.Missed is null)
            {
                continue;
            }

            try
            {
                await listener.Missed(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogHandlerFailed(logger, exception, topic);
            }
        }
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string payload;
            lock (heard)
            {
                if (!heard.TryDequeue(out payload!))
                {
                    return;
                }
            }

            var parts = payload.Split('\n', 3);
            if (parts.Length != 3 || parts[0] == node || !Listeners.TryGetValue(parts[1], out var listener))
            {
                continue;
            }

            try
            {
                await listener.Heard(new StoreSignal(parts[0], parts[2]), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogHandlerFailed(logger, exception, parts[1]);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other nodes' signals in the store failed; listening again in {Seconds} s")]
    private static partial void LogListeningLost(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A signal to the other nodes ({Topic}) could not be sent; until they next reload, the other nodes may not see the change")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Acting on another node's signal ({Topic}) failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string topic);
}
