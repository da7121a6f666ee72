using System.Data.Common;

namespace OpenWard.Server.Storage;

/// <summary>
/// The clinical store as the features' stores see it, whatever the engine: connections to read, one
/// way to write (a transaction, committed before the call returns), and the start-up migration of
/// every feature's tables. <see cref="SqliteClinicalDatabase"/> is the embedded default;
/// <see cref="PostgreSqlClinicalDatabase"/> is the first piece of the PostgreSQL store.
/// </summary>
public abstract class ClinicalDatabase
{
    /// <summary>
    /// Runs <paramref name="write"/> in a transaction and commits it before returning (an exception rolls
    /// it back). Every write to the store goes through here. Do only database work inside — no slow
    /// hashing, no waiting on other services — and never write again from inside.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken);

    /// <summary>As <see cref="WriteAsync{T}"/>, for a write with no result.</summary>
    public abstract Task WriteAsync(Func<DbConnection, Task> write, CancellationToken cancellationToken);

    /// <summary>
    /// Inside <see cref="WriteAsync{T}"/>: waits until no other transaction holding the turn named
    /// <paramref name="name"/> is open, in any process that shares the store, and holds it until this
    /// transaction ends. For writes whose next row depends on the last (the audit trail's hash chain).
    /// </summary>
    public abstract Task TakeTurnAsync(DbConnection connection, string name, CancellationToken cancellationToken);

    /// <summary>Opens a connection to read; it cannot write (writes go through <see cref="WriteAsync{T}"/>).</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Creates or upgrades every feature's tables, before anything reads or writes them.</summary>
    public abstract Task PrepareAsync(CancellationToken cancellationToken);
}
