namespace OpenWard.Server.Gateway.Mllp;

/// <summary>
/// When an MLLP connection must next make progress: between frames, start one within the idle
/// time-out; within a frame, end it within the frame time-out. <see cref="Token"/> cancels the
/// wait for more bytes when that time is up, or when the connection closes.
/// </summary>
internal sealed class MllpFrameDeadline : IDisposable
{
    private readonly TimeSpan idleTimeout;
    private readonly TimeSpan frameTimeout;
    private readonly CancellationToken connectionClosed;
    private CancellationTokenSource current;
    private bool inFrame;

    public MllpFrameDeadline(MllpConnectionLimits limits, CancellationToken connectionClosed)
    {
        idleTimeout = limits.IdleTimeout;
        frameTimeout = limits.FrameTimeout;
        this.connectionClosed = connectionClosed;
        current = Start(idleTimeout);
    }

    /// <summary>Cancelled when the time is up or the connection closes.</summary>
    public CancellationToken Token => current.Token;

    /// <summary>Whether the time is up (rather than the connection closed).</summary>
    public bool Passed => current.IsCancellationRequested && !connectionClosed.IsCancellationRequested;

    /// <summary>Whether the deadline that passed was the frame's (else the idle one).</summary>
    public bool InFrame => inFrame;

    /// <summary>A frame has started: it must end within the frame time-out (from its start, however slowly it arrives).</summary>
    public void FrameStarted()
    {
        if (!inFrame)
        {
            inFrame = true;
            Restart(frameTimeout);
        }
    }

    /// <summary>A frame has ended and been answered: the next must start within the idle time-out.</summary>
    public void FrameEnded()
    {
        inFrame = false;
        Restart(idleTimeout);
    }

    public void Dispose() => current.Dispose();

    private void Restart(TimeSpan timeout)
    {
        current.Dispose();
        current = Start(timeout);
    }

    private CancellationTokenSource Start(TimeSpan timeout)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(connectionClosed);
        source.CancelAfter(timeout);
        return source;
    }
}
