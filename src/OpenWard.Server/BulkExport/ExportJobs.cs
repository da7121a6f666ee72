using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.BulkExport;

/// <summary>
/// The bulk exports of this node, in memory: started, found for their requester only, cancelled, and
/// swept away with their files once <see cref="BulkExportOptions.ExportLifetime"/> has passed since they
/// ended. A restart forgets them, and deletes whatever files they left (<see cref="ForgetLeftovers"/>).
/// </summary>
public sealed partial class ExportJobs(
    ExportRunner runner, IOptions<BulkExportOptions> options, IOptions<OpenWardOptions> host, TimeProvider clock, ILogger<ExportJobs> logger)
{
    private readonly ConcurrentDictionary<string, ExportJob> jobs = new(StringComparer.Ordinal);

    /// <summary>The folder under the data directory that holds every export's files.</summary>
    public string Root { get; } = Path.Combine(host.Value.DataPath, "exports");

    /// <summary>Starts an export for its requester; null when as many exports as allowed are already running.</summary>
    public ExportJob? Start(string owner, string request, IReadOnlyList<string> types, ExportScope scope)
    {
        if (jobs.Values.Count(j => j.State == ExportState.Running) >= options.Value.ConcurrentExports)
        {
            return null;
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var job = new ExportJob
        {
            Id = id,
            Owner = owner,
            Request = request,
            Types = types,
            Scope = scope,
            TransactionTime = clock.GetUtcNow(),
            Folder = DataDirectory.Ensure(Path.Combine(DataDirectory.Ensure(Root), id)),
        };
        jobs[id] = job;
        job.Run = Task.Run(() => RunAsync(job));
        return job;
    }

    /// <summary>The export with this id if it belongs to <paramref name="owner"/> and has not expired; null otherwise (the same answer either way).</summary>
    public ExportJob? Find(string id, string owner) =>
        jobs.TryGetValue(id, out var job) && job.Owner == owner && !HasExpired(job) ? job : null;

    /// <summary>Cancels an export (stopping it if it is still running) and deletes its files.</summary>
    public async Task CancelAsync(ExportJob job)
    {
        jobs.TryRemove(job.Id, out _);
        await StopAsync(job);
        Delete(job);
    }

    /// <summary>Deletes the exports, and their files, whose lifetime has passed.</summary>
    public void Sweep()
    {
        foreach (var job in jobs.Values.Where(HasExpired))
        {
            if (jobs.TryRemove(job.Id, out _))
            {
                Delete(job);
                LogExpired(logger);
            }
        }
    }

    /// <summary>Stops every running export (the server is stopping) and deletes every file: no export outlives its node's process.</summary>
    public async Task StopAllAsync()
    {
        foreach (var job in jobs.Values)
        {
            await StopAsync(job);
        }

        jobs.Clear();
        ForgetLeftovers();
    }

    /// <summary>When an ended export's files are deleted; null while it runs.</summary>
    public DateTimeOffset? ExpiresAt(ExportJob job) => job.EndedAt + options.Value.ExportLifetime;

    private bool HasExpired(ExportJob job) => ExpiresAt(job) is { } expiry && clock.GetUtcNow() >= expiry;

    private async Task RunAsync(ExportJob job)
    {
        try
        {
            await runner.RunAsync(job, job.Cancellation.Token);
            job.Complete(clock.GetUtcNow());
        }
        catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested)
        {
            // Cancelled: whoever cancelled deletes the files.
        }
        catch (Exception exception)
        {
            LogFailed(logger, exception);
            job.Fail("the export could not be written; ask again later", clock.GetUtcNow());
            Delete(job);
        }
    }

    private static async Task StopAsync(ExportJob job)
    {
        await job.Cancellation.CancelAsync();
        await job.Run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Delete(ExportJob job)
    {
        try
        {
            if (Directory.Exists(job.Folder))
            {
                Directory.Delete(job.Folder, recursive: true);
            }
        }
        catch (IOException exception)
        {
            LogDeleteFailed(logger, exception);
        }
    }

    /// <summary>Deletes what exports of an earlier run of this node left in the data directory.</summary>
    public void ForgetLeftovers()
    {
        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
        catch (IOException exception)
        {
            LogDeleteFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A bulk export expired; its files were deleted")]
    private static partial void LogExpired(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "A bulk export failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A bulk export's files could not be deleted; the next start of the server deletes them")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception);
}
