using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using OpenWard.Server.Devices;
using OpenWard.Core.Hl7;

namespace OpenWard.Server.Gateway.Mllp;

/// <summary>
/// The MLLP framing of HL7 v2 over TCP: each message between a start block (0x0B) and an end
/// block (0x1C 0x0D), answered on the same connection with its ACK, in order. A frame of 1 MiB or
/// more (framing included) is rejected and the connection closed as soon as that much of it has arrived; bytes outside
/// frames are skipped. <see cref="MllpConnectionLimits"/> bounds what one sender may hold: open
/// connections per address, the time to start a frame and the time to finish one. Every message
/// must come from a registered sender (<see cref="Hl7SenderRecognition"/>); otherwise it is rejected
/// unread and the connection closed.
/// </summary>
public sealed partial class MllpConnectionHandler(
    Hl7Ingest ingest, Hl7SenderRecognition senders, MllpConnectionLimits limits, ILogger<MllpConnectionHandler> logger) : ConnectionHandler
{
    private const byte StartBlock = 0x0B;
    private const byte EndBlock = 0x1C;
    private const byte CarriageReturn = 0x0D;

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        using var admission = limits.TryAdmit(connection.RemoteEndPoint);
        if (admission is null)
        {
            LogTooManyConnections(logger);
            return; // returning closes the connection
        }

        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        var cancellation = connection.ConnectionClosed;
        var fingerprint = connection.Features.Get<ITlsConnectionFeature>() is { ClientCertificate: { } certificate }
            ? CertificatePin.Fingerprint(certificate)
            : null;
        using var deadline = new MllpFrameDeadline(limits, cancellation);
        // When the server stops, the listener asks each connection to close: a sender waiting between
        // messages is let go at once, one in the middle of a message is answered first.
        var closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        using var wakeOnClose = closeRequested.Register(() => input.CancelPendingRead());
        long searched = 0;
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (deadline.Passed)
                {
                    LogTimedOut(logger, deadline.InFrame);
                    return;
                }

                var buffer = result.Buffer;
                while (TryReadFrame(ref buffer, ref searched, out var frame))
                {
                    if (senders.Recognise(fingerprint) is not { } sender)
                    {
                        LogUnknownSender(logger);
                        await WriteFrameAsync(output, Hl7Acknowledgement.Build(Hl7Acknowledgement.Rejected, "", "", "",
                            [fingerprint is null ? UnknownLoopbackSender : UnknownCertificate], DateTimeOffset.UtcNow, "ACK-UNKNOWN-SENDER"), cancellation);
                        return;
                    }

                    var ack = await ingest.AcknowledgeAsync(frame, sender, cancellation);
                    await WriteFrameAsync(output, ack, cancellation);
                    deadline.FrameEnded();
                }

                if (searched > 0)
                {
                    deadline.FrameStarted();
                }

                // The listener stops reading a connection once 1 MiB of it waits unconsumed, so a frame that has
                // reached 1 MiB without its end can never end: it is refused then, not when its time runs out.
                if (buffer.Length >= Hl7Message.MaxLength)
                {
                    LogFrameTooLarge(logger);
                    await WriteFrameAsync(output, Hl7Acknowledgement.Build(Hl7Acknowledgement.Rejected, "", "", "",
                        [TooLarge], DateTimeOffset.UtcNow, "ACK-TOO-LARGE"), cancellation);
                    return;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }

                if (closeRequested.IsCancellationRequested && searched == 0)
                {
                    LogLetGo(logger);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The sender closed the connection.
        }
        catch (ConnectionResetException)
        {
            // The sender went away mid-message; it was not acknowledged, so it will resend.
        }
    }

    private static readonly string TooLarge =
        $"MLLP frame reached {Hl7Message.MaxLength} bytes, framing included, without its end block";

    private const string UnknownCertificate =
        "the client certificate is not registered to an active HL7 sender or device (openward hl7-senders add); message not read";

    private const string UnknownLoopbackSender =
        "OpenWard:Mllp:LoopbackSender does not name an active HL7 sender (openward hl7-senders add); message not read";

    /// <summary>
    /// Takes the first complete frame off <paramref name="buffer"/>. Between calls,
    /// <paramref name="searched"/> holds how much of a started frame (from its start block) was
    /// already searched for its end, so each byte is searched once however slowly the frame arrives;
    /// it is 0 between frames.
    /// </summary>
    private static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, ref long searched, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (searched == 0)
        {
            var start = buffer.PositionOf(StartBlock);
            if (start is null)
            {
                buffer = buffer.Slice(buffer.End); // nothing but noise so far
                return false;
            }

            buffer = buffer.Slice(start.Value);
            searched = 1;
        }

        // The last byte searched may be an end block still waiting for its CR.
        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(Math.Max(1, searched - 1));
        while (reader.TryAdvanceTo(EndBlock))
        {
            if (reader.TryPeek(out var next) && next == CarriageReturn)
            {
                frame = buffer.Slice(1, reader.Consumed - 2);
                buffer = buffer.Slice(reader.Consumed + 1);
                searched = 0;
                return true;
            }

            if (reader.End)
            {
                break; // the CR may still arrive
            }
        }

        searched = buffer.Length;
        return false;
    }

    private static async Task WriteFrameAsync(System.IO.Pipelines.PipeWriter output, string message, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var frame = new byte[bytes.Length + 3];
        frame[0] = StartBlock;
        bytes.CopyTo(frame, 1);
        frame[^2] = EndBlock;
        frame[^1] = CarriageReturn;
        await output.WriteAsync(frame, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MLLP message from a connection that speaks for no registered HL7 sender refused; connection closed")]
    private static partial void LogUnknownSender(ILogger logger);

    // Addresses are not logged (they are personal data under GDPR).
    [LoggerMessage(Level = LogLevel.Warning, Message = "MLLP frame exceeded the size limit; connection closed")]
    private static partial void LogFrameTooLarge(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MLLP connection refused: its address already holds as many connections as it may")]
    private static partial void LogTooManyConnections(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "MLLP connection closed between messages: the server is stopping")]
    private static partial void LogLetGo(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "MLLP connection closed: time-out (within a frame: {InFrame})")]
    private static partial void LogTimedOut(ILogger logger, bool inFrame);
}
