using System.Diagnostics;
using OpenWard.Core.Readings;

namespace OpenWard.Server.Readings;

/// <summary>One caller's share of a group commit.</summary>
public sealed record CommitRequest(IReadOnlyList<Reading> Readings, IReadOnlyList<DeadLetter> DeadLetters)
{
    /// <summary>Completed with the outcome once the transaction holding this request commits.</summary>
    public TaskCompletionSource<CommitResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When it was queued (<see cref="Stopwatch"/> ticks): a group gathers from its first request's arrival.</summary>
    public long QueuedAt { get; } = Stopwatch.GetTimestamp();
}
