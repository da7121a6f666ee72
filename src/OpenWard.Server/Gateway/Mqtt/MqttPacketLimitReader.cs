using System.Buffers;
using System.IO.Pipelines;

namespace OpenWard.Server.Gateway.Mqtt;

/// <summary>
/// The broker's view of a connection's input: every byte passes a <see cref="MqttFixedHeaderScanner"/>
/// as soon as it arrives, and once a packet announces more than its limit the broker sees the
/// connection end (an empty, completed read) while <paramref name="refuse"/> closes it.
/// </summary>
internal sealed class MqttPacketLimitReader(PipeReader inner, MqttFixedHeaderScanner scanner, Action refuse) : PipeReader
{
    private static readonly ReadResult Ended = new(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);
    private ReadOnlySequence<byte> lastBuffer;
    private long scannedLength; // bytes at the start of the unconsumed input that the scanner has read
    private bool refused;

    /// <inheritdoc />
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        refused ? Ended : Inspect(await inner.ReadAsync(cancellationToken));

    /// <inheritdoc />
    public override bool TryRead(out ReadResult result)
    {
        if (refused)
        {
            result = Ended;
            return true;
        }

        if (!inner.TryRead(out result))
        {
            return false;
        }

        result = Inspect(result);
        return true;
    }

    /// <inheritdoc />
    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    /// <inheritdoc />
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (refused)
        {
            return; // the input was released when the packet was refused
        }

        scannedLength -= lastBuffer.Slice(0, consumed).Length;
        inner.AdvanceTo(consumed, examined);
    }

    /// <inheritdoc />
    public override void CancelPendingRead() => inner.CancelPendingRead();

    /// <inheritdoc />
    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    /// <inheritdoc />
    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private ReadResult Inspect(ReadResult result)
    {
        var buffer = result.Buffer;
        if (!scanner.TryScan(buffer.Slice(scannedLength)))
        {
            refused = true;
            inner.AdvanceTo(buffer.End);
            refuse();
            return Ended;
        }

        scannedLength = buffer.Length;
        lastBuffer = buffer;
        return result;
    }
}
