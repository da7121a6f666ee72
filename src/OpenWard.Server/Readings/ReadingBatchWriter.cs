namespace OpenWard.Server.Readings;

/// <summary>
/// How one database engine writes a group commit's batch — readings and dead letters — in one
/// transaction, telling for each reading whether it was stored, a resend, or a conflicting reading.
/// <see cref="ReadingCommitter"/> keeps the queue; <see cref="SqliteReadingWriter"/> and
/// <see cref="PostgreSqlReadingWriter"/> do the writing.
/// </summary>
public abstract class ReadingBatchWriter : IAsyncDisposable
{
    /// <summary>
    /// Takes the batch with <paramref name="takeBatch"/> once this writer may write (requests that
    /// arrive while it waits join the batch), writes it in one transaction and commits. The results are
    /// in the batch's order. An exception means nothing in the batch was committed.
    /// </summary>
    public abstract Task<CommitResult[]> WriteAsync(Func<IReadOnlyList<CommitRequest>> takeBatch, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
