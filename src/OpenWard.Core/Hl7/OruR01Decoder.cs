using System.Buffers;
using System.Text;
using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Core.Hl7;

/// <summary>
/// An HL7 v2 message (<see cref="Hl7Message"/>, read by <see cref="OruR01Reader"/>) through the decoder
/// seam: a message that does not parse, or is not an ORU^R01 OpenWard takes, is refused as a whole and
/// kept as text; each observation becomes an item naming its device.
/// </summary>
public sealed class OruR01Decoder : IPayloadDecoder<OruBatch>
{
    /// <summary>The decoder (it holds nothing).</summary>
    public static OruR01Decoder Instance { get; } = new();

    /// <inheritdoc />
    public OruBatch Decode(ReadOnlySequence<byte> payload, DateTimeOffset received)
    {
        if (!Hl7Message.TryParse(Encoding.UTF8.GetString(payload), out var message, out var parseProblem))
        {
            return new OruBatch { Refusal = PayloadRefusal.Of(parseProblem!, payload) };
        }

        var oru = OruR01Reader.Read(message!);
        var batch = new OruBatch
        {
            ControlId = oru.ControlId,
            SendingApplication = oru.SendingApplication,
            SendingFacility = oru.SendingFacility,
            PatientIdentifier = oru.PatientIdentifier,
        };
        if (oru.Problem is not null)
        {
            return batch with { Refusal = PayloadRefusal.Of(oru.Problem, payload) };
        }

        return batch with
        {
            Items = [.. oru.Observations.Select(o => new SubmittedItem
            {
                Index = o.Index, DeviceId = o.DeviceId, RawJson = o.Raw, Submission = o.Submission, Problem = o.Problem,
            })],
        };
    }
}
