using System.Buffers;
using System.Text;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Mapping.Destination;
using OpenWard.Mapping.Measurements;
using OpenWard.Mapping.Templates;

namespace OpenWard.Mapping;

/// <summary>
/// A message in a device's own JSON, read through its model's mapping templates, through the decoder
/// seam: each measurement the device mapping extracts becomes an item (a reading, or why the FHIR
/// mapping could not make it one), followed by each matched part that could not become a measurement.
/// The sending device and the arrival time stand in for IoT Hub's device id and enqueued time.
/// </summary>
/// <param name="device">How the model's messages are read.</param>
/// <param name="fhir">What the readings in them mean.</param>
/// <param name="deviceId">The device that sent the message.</param>
public sealed class MappingTemplateDecoder(DeviceMapping device, FhirMapping fhir, string deviceId) : IPayloadDecoder<DecodedBatch>
{
    /// <inheritdoc />
    public DecodedBatch Decode(ReadOnlySequence<byte> payload, DateTimeOffset received)
    {
        if (payload.Length > DeviceJsonFormat.MaxPayloadBytes)
        {
            return DecodedBatch.Refused(PayloadRefusal.Of($"message is larger than {DeviceJsonFormat.MaxPayloadBytes} bytes", payload));
        }

        var extraction = device.Extract(Encoding.UTF8.GetString(payload), deviceId, received);
        if (extraction.MessageProblem is not null)
        {
            return DecodedBatch.Refused(PayloadRefusal.Of(extraction.MessageProblem, payload));
        }

        var items = new List<SubmittedItem>(extraction.Measurements.Count + extraction.Problems.Count);
        foreach (var measurement in extraction.Measurements)
        {
            var conversion = fhir.ToReading(measurement);
            items.Add(new SubmittedItem
            {
                Index = items.Count,
                RawJson = MeasurementText(measurement),
                Submission = conversion.Reading,
                Problem = conversion.Problem,
            });
        }

        foreach (var problem in extraction.Problems)
        {
            items.Add(new SubmittedItem { Index = items.Count, RawJson = problem.MatchedJson, Problem = $"{problem.Type}: {problem.Reason}" });
        }

        return new DecodedBatch { Items = items };
    }

    private static string MeasurementText(NormalizedMeasurement measurement) =>
        $"{measurement.Type} at {measurement.OccurrenceTimeUtc:O}: " + string.Join(", ", measurement.Properties.Select(p => $"{p.Name}={p.Value}"));
}
