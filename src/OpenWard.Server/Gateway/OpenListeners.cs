namespace OpenWard.Server.Gateway;

/// <summary>The sockets the server listens on, as bound by <see cref="NetworkListeners"/>.</summary>
public sealed class OpenListeners(IReadOnlyList<OpenListener> listeners)
{
    /// <summary>Each listener, in the order it was bound.</summary>
    public IReadOnlyList<OpenListener> All { get; } = listeners;
}
