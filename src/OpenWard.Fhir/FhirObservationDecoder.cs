using System.Buffers;
using System.Text;
using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Fhir;

/// <summary>
/// FHIR R4 Observations, one or a Bundle of them (<see cref="FhirObservationReader"/>), through the
/// decoder seam. An Observation that names its device only through a Device entry of the Bundle is
/// given the first of that entry's identifiers that is a registered device (else the first).
/// </summary>
/// <param name="isRegistered">Whether a device id is registered and active.</param>
public sealed class FhirObservationDecoder(Func<string, bool> isRegistered) : IPayloadDecoder<FhirBatch>
{
    /// <inheritdoc />
    public FhirBatch Decode(ReadOnlySequence<byte> payload, DateTimeOffset received)
    {
        var read = FhirObservationReader.Read(Encoding.UTF8.GetString(payload));
        if (read.Problem is not null)
        {
            return new FhirBatch { Refusal = PayloadRefusal.Of(read.Problem, payload) };
        }

        return new FhirBatch
        {
            BundleType = read.BundleType,
            Items = [.. read.Observations.Select(o => new SubmittedItem
            {
                Index = o.Index,
                DeviceId = o.DeviceId ?? o.DeviceCandidates.FirstOrDefault(isRegistered) ?? o.DeviceCandidates.FirstOrDefault(),
                SubjectPatientId = o.PatientId,
                RawJson = o.Raw,
                Submission = o.Submission,
                Problem = o.Problem,
                Note = o.Note,
            })],
        };
    }
}
