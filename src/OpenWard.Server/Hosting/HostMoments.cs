namespace OpenWard.Server.Hosting;

/// <summary>
/// A part that acts at some moments of the host's start and stop (<see cref="IHostedLifecycleService"/>):
/// each moment does nothing unless the part overrides it. All parts' <see cref="StoppingAsync"/> run before
/// any part stops, in the reverse of the order they were added; <see cref="StartedAsync"/> runs once every
/// part, the listeners included, has started.
/// </summary>
public abstract class HostMoments : IHostedLifecycleService
{
    /// <inheritdoc />
    public virtual Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
