using OpenWard.Server.Hosting;

namespace OpenWard.Server.Storage;

/// <summary>
/// Copies committed pages from the write-ahead log into the database file once a second, on its own
/// connection, so that the group commit seldom has to. SQLite checkpoints on the connection whose
/// commit fills the log past <see cref="ClinicalDatabase"/>'s limit, and every device waiting for
/// that commit waited for the copy too (up to a few hundred milliseconds under load). A passive
/// checkpoint here never blocks a writer; the writer's own checkpoint at the limit still happens —
/// SQLite can start the log afresh only after one that finishes while nothing is being written —
/// but then only copies what was committed since the last second's.
/// </summary>
public sealed partial class WalCheckpointer(SqliteClinicalDatabase database, TimeProvider clock, ILogger<WalCheckpointer> logger)
    : PeriodicCheck(Period, clock, logger)
{
    /// <summary>How often committed pages are copied.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly ILogger<WalCheckpointer> logger = logger;

    /// <inheritdoc />
    public override async Task CheckAsync(CancellationToken cancellationToken) => await CopyCommittedPagesAsync(cancellationToken);

    /// <summary>Copies what the log holds that no reader still needs from it, without waiting for anyone.</summary>
    public async Task<Checkpoint> CopyCommittedPagesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForCheckpointAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var checkpoint = new Checkpoint(Busy: reader.GetInt32(0) != 0, LogPages: reader.GetInt32(1), CopiedPages: reader.GetInt32(2));
        LogCheckpoint(logger, checkpoint.LogPages, checkpoint.CopiedPages);
        return checkpoint;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checkpoint: {Copied} of {Log} pages in the write-ahead log are in the database file")]
    private static partial void LogCheckpoint(ILogger logger, int log, int copied);

    /// <summary>What a checkpoint found: the pages in the log and how many of them the database file now holds.</summary>
    public readonly record struct Checkpoint(bool Busy, int LogPages, int CopiedPages);
}
