namespace OpenWard.Server.BulkExport;

/// <summary>
/// One bulk export: who asked for it (only they may poll, download or cancel), what they asked, and
/// how far it has got. It lives in this node's memory; its files are in the data directory.
/// </summary>
public sealed class ExportJob
{
    private readonly Lock gate = new();
    private readonly List<ExportOutput> outputs = [];
    private NdjsonFile? file;
    private string current = "";

    /// <summary>The export's id (the last segment of its status URL).</summary>
    public required string Id { get; init; }

    /// <summary>The requester as the audit trail names them (<c>user:…</c> or <c>client:…</c>).</summary>
    public required string Owner { get; init; }

    /// <summary>The kick-off request's URL, as the manifest repeats it.</summary>
    public required string Request { get; init; }

    /// <summary>The resource types to write, in order.</summary>
    public required IReadOnlyList<string> Types { get; init; }

    /// <summary>What is exported.</summary>
    public required ExportScope Scope { get; init; }

    /// <summary>When the export began: every resource it writes was stored before this instant.</summary>
    public required DateTimeOffset TransactionTime { get; init; }

    /// <summary>The folder its files are written to.</summary>
    public required string Folder { get; init; }

    /// <summary>Cancelled by a DELETE on the status URL or when the server stops.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>The task writing the files (set once it has started).</summary>
    public Task Run { get; set; } = Task.CompletedTask;

    /// <summary>Where it is.</summary>
    public ExportState State { get; private set; } = ExportState.Running;

    /// <summary>When it completed or failed; null while running.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Why it failed, in words for the requester.</summary>
    public string? Failure { get; private set; }

    /// <summary>The files written so far.</summary>
    public IReadOnlyList<ExportOutput> Outputs
    {
        get
        {
            lock (gate)
            {
                return [.. outputs];
            }
        }
    }

    /// <summary>How far it has got, for <c>X-Progress</c>.</summary>
    public string Progress
    {
        get
        {
            lock (gate)
            {
                var done = outputs.Sum(o => o.Count) + (file?.Count ?? 0);
                return current.Length == 0 ? "starting" : $"writing {current}: {done} resources written";
            }
        }
    }

    /// <summary>Starts writing the file of one type; progress counts its lines as they are written.</summary>
    public void Begin(string type, NdjsonFile output)
    {
        lock (gate)
        {
            current = type;
            file = output;
        }
    }

    /// <summary>The current file is complete.</summary>
    public void Finish(ExportOutput output)
    {
        lock (gate)
        {
            outputs.Add(output);
            file = null;
        }
    }

    /// <summary>Every file is written.</summary>
    public void Complete(DateTimeOffset at)
    {
        lock (gate)
        {
            State = ExportState.Completed;
            EndedAt = at;
        }
    }

    /// <summary>It stopped on an error.</summary>
    public void Fail(string reason, DateTimeOffset at)
    {
        lock (gate)
        {
            State = ExportState.Failed;
            Failure = reason;
            EndedAt = at;
        }
    }
}
