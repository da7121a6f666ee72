namespace OpenWard.Server.Storage;

/// <summary>
/// A writer's turn at the database, taken inside <see cref="ClinicalDatabase.WriteAsync{T}"/> and its siblings;
/// disposing it lets the next writer in.
/// </summary>
public readonly struct WriteTurn(SemaphoreSlim turns) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => turns.Release();
}
