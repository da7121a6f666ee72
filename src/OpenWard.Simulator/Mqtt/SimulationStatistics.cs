namespace OpenWard.Simulator.Mqtt;

/// <summary>Live counters of a running simulation, safe to read from another thread.</summary>
public sealed class SimulationStatistics
{
    private long messagesAcknowledged;
    private long readingsAcknowledged;
    private long messagesRefused;
    private long reconnects;
    private int devicesOnline;

    /// <summary>Messages the server acknowledged as fully accepted.</summary>
    public long MessagesAcknowledged => Interlocked.Read(ref messagesAcknowledged);

    /// <summary>Readings in acknowledged messages.</summary>
    public long ReadingsAcknowledged => Interlocked.Read(ref readingsAcknowledged);

    /// <summary>Messages refused or failed (a non-success reason code or a lost connection).</summary>
    public long MessagesRefused => Interlocked.Read(ref messagesRefused);

    /// <summary>Times a device reconnected after a drop-out.</summary>
    public long Reconnects => Interlocked.Read(ref reconnects);

    /// <summary>Devices connected now.</summary>
    public int DevicesOnline => Volatile.Read(ref devicesOnline);

    internal void Acknowledged(int readings)
    {
        Interlocked.Increment(ref messagesAcknowledged);
        Interlocked.Add(ref readingsAcknowledged, readings);
    }

    internal void Refused() => Interlocked.Increment(ref messagesRefused);

    internal void Reconnected() => Interlocked.Increment(ref reconnects);

    internal void Connected() => Interlocked.Increment(ref devicesOnline);

    internal void Disconnected() => Interlocked.Decrement(ref devicesOnline);
}
