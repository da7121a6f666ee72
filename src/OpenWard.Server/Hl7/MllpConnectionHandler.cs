using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using OpenWard.Server.Devices;
using OpenWard.Core.Hl7;

namespace OpenWard.Server.Hl7;

/// <summary>
/// The MLLP framing of HL7 v2 over TCP: each message between a start block (0x0B) and an end
/// block (0x1C 0x0D), answered on the same connection with its ACK, in order. A frame over 1 MiB
/// is rejected and the connection closed; bytes outside frames are skipped. Every message must come
/// from a registered sender (<see cref="Hl7SenderRecognition"/>); otherwise it is rejected unread and
/// the connection closed.
/// </summary>
public sealed partial class MllpConnectionHandler(
    Hl7Ingest ingest, Hl7SenderRecognition senders, ILogger<MllpConnectionHandler> logger) : ConnectionHandler
{
    private const byte StartBlock = 0x0B;
    private const byte EndBlock = 0x1C;
    private const byte CarriageReturn = 0x0D;

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        var cancellation = connection.ConnectionClosed;
        var fingerprint = connection.Features.Get<ITlsConnectionFeature>() is { ClientCertificate: { } certificate }
            ? CertificatePin.Fingerprint(certificate)
            : null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellation);
                var buffer = result.Buffer;
                while (TryReadFrame(ref buffer, out var frame))
                {
                    if (senders.Recognise(fingerprint) is not { } sender)
                    {
                        LogUnknownSender(logger);
                        await WriteFrameAsync(output, Hl7Acknowledgement.Build(Hl7Acknowledgement.Rejected, "", "", "",
                            [fingerprint is null ? UnknownLoopbackSender : UnknownCertificate], DateTimeOffset.UtcNow, "ACK-UNKNOWN-SENDER"), cancellation);
                        return;
                    }

                    var ack = await ingest.AcknowledgeAsync(Encoding.UTF8.GetString(frame), sender, cancellation);
                    await WriteFrameAsync(output, ack, cancellation);
                }

                if (buffer.Length > Hl7Message.MaxLength)
                {
                    LogFrameTooLarge(logger, connection.RemoteEndPoint?.ToString());
                    await WriteFrameAsync(output, Hl7Acknowledgement.Build(Hl7Acknowledgement.Rejected, "", "", "",
                        [$"MLLP frame longer than {Hl7Message.MaxLength} bytes"], DateTimeOffset.UtcNow, "ACK-TOO-LARGE"), cancellation);
                    return;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
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

    private const string UnknownCertificate =
        "the client certificate is not registered to an active HL7 sender or device (openward hl7-senders add); message not read";

    private const string UnknownLoopbackSender =
        "OpenWard:Mllp:LoopbackSender does not name an active HL7 sender (openward hl7-senders add); message not read";

    private static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        var start = buffer.PositionOf(StartBlock);
        if (start is null)
        {
            buffer = buffer.Slice(buffer.End); // nothing but noise so far
            return false;
        }

        buffer = buffer.Slice(start.Value);
        var reader = new SequenceReader<byte>(buffer.Slice(1));
        while (reader.TryAdvanceTo(EndBlock))
        {
            if (reader.TryPeek(out var next) && next == CarriageReturn)
            {
                frame = buffer.Slice(1, reader.Consumed - 1);
                buffer = buffer.Slice(reader.Consumed + 2);
                return true;
            }

            if (reader.End)
            {
                return false; // the CR may still arrive
            }
        }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "MLLP frame from {RemoteEndPoint} exceeded the size limit; connection closed")]
    private static partial void LogFrameTooLarge(ILogger logger, string? remoteEndPoint);
}
