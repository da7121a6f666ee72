using System.Buffers;

namespace OpenWard.Core.DeviceProtocol;

/// <summary>
/// The one decoder seam: a payload as it arrived in, its items out, each a reading or the reason it
/// is not one, or the payload refused as a whole with its reason. Every format OpenWard takes
/// (device JSON, Bluetooth LE GATT, HL7 v2 ORU^R01, FHIR Observations, a model's mapping templates)
/// decodes through it, and the ingest pipeline takes what it returns. A decoder never throws on
/// what a device or sender sent. A format whose messages carry more than readings (an HL7 header,
/// a FHIR Bundle's type) returns a batch derived from <see cref="DecodedBatch"/>.
/// </summary>
/// <typeparam name="TBatch">The batch the decoder returns.</typeparam>
public interface IPayloadDecoder<out TBatch>
    where TBatch : DecodedBatch
{
    /// <summary>Decodes one payload received at <paramref name="received"/> (the time of readings that carry none).</summary>
    TBatch Decode(ReadOnlySequence<byte> payload, DateTimeOffset received);
}
