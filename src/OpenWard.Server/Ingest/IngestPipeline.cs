using System.Buffers;
using System.Text;
using OpenWard.Core.Bluetooth;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Readings;
using OpenWard.Mapping.Measurements;
using OpenWard.Server.DeviceModels;
using OpenWard.Server.Devices;
using OpenWard.Server.Storage;
using OpenWard.Core.Text;

namespace OpenWard.Server.Ingest;

/// <summary>
/// The path every device payload takes, whatever it arrived by: decode → validate → attribute to
/// the patient the device was assigned to at each reading's time → group-commit (duplicates are
/// skipped by the store, refused readings are dead-lettered with their reason) → answer. A reading
/// that differs from the one already stored for its device, vital sign and time is refused and
/// dead-lettered with both values: nothing a device sends disappears as a "duplicate" that was not one.
/// </summary>
public sealed class IngestPipeline(DeviceDirectory directory, DeviceModelMappings mappings, ReadingCommitter committer, TimeProvider clock)
{
    /// <summary>Ingests a device JSON format v1 payload from an authenticated device.</summary>
    public async Task<IngestOutcome> IngestJsonAsync(string deviceId, ReadOnlySequence<byte> payload, string channel, CancellationToken cancellationToken)
    {
        var received = clock.GetUtcNow();
        var batch = DeviceJsonFormat.Decode(payload);
        if (batch.Problem is not null)
        {
            return await RefusePayloadAsync(deviceId, channel, batch.Problem, payload, cancellationToken);
        }

        return await IngestItemsAsync(deviceId, batch.Items, channel, received, cancellationToken, devicePayload: payload);
    }

    /// <summary>
    /// Ingests one raw Bluetooth LE characteristic value forwarded by a gateway for the device
    /// (<paramref name="characteristic"/> as the gateway names it, e.g. <c>2a35</c>).
    /// </summary>
    public async Task<IngestOutcome> IngestGattAsync(string deviceId, string characteristic, ReadOnlySequence<byte> payload, string channel, CancellationToken cancellationToken)
    {
        var received = clock.GetUtcNow();
        var value = payload.ToArray();
        // Binary values are kept in hex for the dead-letter store, with what they claimed to be.
        var raw = $"gatt {Quote.Shorten(characteristic)}: {Convert.ToHexString(value.AsSpan(0, Math.Min(value.Length, DeviceJsonFormat.MaxRawFragmentLength / 2)))}";
        if (!GattCharacteristic.TryParse(characteristic, out var uuid))
        {
            return await RefuseAsync(deviceId, channel, $"\"{Quote.Shorten(characteristic)}\" is not a characteristic UUID", raw, cancellationToken);
        }

        var decoded = GattDecoder.Decode(uuid, value, received);
        if (decoded.Problem is not null)
        {
            return await RefuseAsync(deviceId, channel, decoded.Problem, raw, cancellationToken);
        }

        var items = decoded.Readings.Select((submission, index) => new SubmittedItem { Index = index, RawJson = raw, Submission = submission }).ToList();
        var outcome = await IngestItemsAsync(deviceId, items, channel, received, cancellationToken);
        return outcome with { Notes = decoded.Notes };
    }

    /// <summary>
    /// Ingests a message in the device's own JSON through its model's mapping templates. The
    /// sending device and the arrival time stand in for IoT Hub's device id and enqueued time;
    /// readings are attributed to the authenticated device, whatever id the message carries.
    /// </summary>
    public async Task<IngestOutcome> IngestVendorJsonAsync(string deviceId, ReadOnlySequence<byte> payload, string channel, CancellationToken cancellationToken)
    {
        var received = clock.GetUtcNow();
        var model = directory.ModelOf(deviceId) ?? "";
        if (mappings.Find(model) is not { } mapping)
        {
            return await RefusePayloadAsync(deviceId, channel,
                $"device model \"{Quote.Shorten(model)}\" has no mapping template; set one with PUT /api/v1/device-models/{{model}}/mapping", payload, cancellationToken);
        }

        if (payload.Length > DeviceJsonFormat.MaxPayloadBytes)
        {
            return await RefusePayloadAsync(deviceId, channel, $"message is larger than {DeviceJsonFormat.MaxPayloadBytes} bytes", payload, cancellationToken);
        }

        var extraction = mapping.Device.Extract(Encoding.UTF8.GetString(payload), deviceId, received);
        if (extraction.MessageProblem is not null)
        {
            return await RefusePayloadAsync(deviceId, channel, extraction.MessageProblem, payload, cancellationToken);
        }

        var items = new List<SubmittedItem>(extraction.Measurements.Count + extraction.Problems.Count);
        foreach (var measurement in extraction.Measurements)
        {
            var conversion = mapping.Fhir.ToReading(measurement);
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

        return await IngestItemsAsync(deviceId, items, channel, received, cancellationToken);
    }

    /// <summary>
    /// Validates, attributes and commits readings another decoder (HL7, FHIR, …) has already
    /// decoded; items carrying a problem are dead-lettered with it, and with their raw text
    /// (items of a device JSON payload carry none: it is read back from <paramref name="devicePayload"/> by index).
    /// </summary>
    public async Task<IngestOutcome> IngestItemsAsync(
        string deviceId, IReadOnlyList<SubmittedItem> items, string channel, DateTimeOffset received, CancellationToken cancellationToken,
        ReadOnlySequence<byte> devicePayload = default)
    {
        var accepted = new List<Reading>(items.Count);
        var acceptedItems = new List<SubmittedItem>(items.Count);
        var refused = new List<RefusedReading>();
        var deadLetters = new List<DeadLetter>();
        foreach (var item in items)
        {
            var problem = item.Problem;
            if (problem is null)
            {
                // Attributed to the patient the device was assigned to at the reading's own time.
                var submission = item.Submission!;
                var patientId = (submission.Time is { } at ? directory.PatientAt(deviceId, at) : null) ?? item.IdentifiedPatientId;
                var check = ReadingValidator.Check(submission, deviceId, received, patientId);
                if (check.Reading is { } reading)
                {
                    accepted.Add(reading);
                    acceptedItems.Add(item);
                    continue;
                }

                problem = check.Problem!;
            }

            refused.Add(new RefusedReading(item.Index, problem));
            deadLetters.Add(DeadLetterOf(item, problem));
        }

        var result = await committer.CommitAsync(accepted, deadLetters, cancellationToken);
        var unattributed = 0;
        var conflicts = new List<DeadLetter>();
        for (var i = 0; i < accepted.Count; i++)
        {
            if (result.Stored[i] && accepted[i].PatientId is null)
            {
                unattributed++;
            }

            if (result.Conflicts[i] is { } storedValues)
            {
                var problem = $"conflicts with the reading already stored for this device, {accepted[i].Vital} and time {accepted[i].DeviceTime.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}: "
                    + $"stored {storedValues}, received {ReadingValues.Describe(accepted[i])}; the stored reading is kept";
                refused.Add(new RefusedReading(acceptedItems[i].Index, problem));
                conflicts.Add(DeadLetterOf(acceptedItems[i], problem));
            }
        }

        // Answered only once the conflicts are dead-lettered too; if this commit fails the device is not
        // acknowledged, resends, and meets the same conflict again.
        if (conflicts.Count > 0)
        {
            await committer.CommitAsync([], conflicts, cancellationToken);
        }

        return new IngestOutcome
        {
            Received = items.Count,
            Stored = result.StoredCount,
            Duplicates = result.DuplicateCount,
            Unattributed = unattributed,
            Refused = [.. refused.OrderBy(r => r.Index)],
        };

        DeadLetter DeadLetterOf(SubmittedItem item, string problem) => new()
        {
            ReceivedAt = received,
            Channel = channel,
            DeviceId = deviceId,
            ItemIndex = item.Index,
            Reason = problem,
            Raw = item.RawJson ?? (devicePayload.IsEmpty ? "" : DeviceJsonFormat.RawElement(devicePayload, item.Index)),
        };
    }

    /// <summary>Dead-letters a whole payload with its reason (keeping its first 2 KiB) and reports it refused.</summary>
    public Task<IngestOutcome> RefusePayloadAsync(
        string deviceId, string channel, string problem, ReadOnlySequence<byte> payload, CancellationToken cancellationToken) =>
        RefuseAsync(deviceId, channel, problem, StartOf(payload), cancellationToken);

    private async Task<IngestOutcome> RefuseAsync(string deviceId, string channel, string problem, string raw, CancellationToken cancellationToken)
    {
        var letter = new DeadLetter
        {
            ReceivedAt = clock.GetUtcNow(),
            Channel = channel,
            DeviceId = deviceId,
            Reason = problem,
            Raw = raw,
        };
        await committer.CommitAsync([], [letter], cancellationToken);
        return new IngestOutcome
        {
            Received = 0, Stored = 0, Duplicates = 0, Unattributed = 0, Refused = [], PayloadProblem = problem,
        };
    }

    private static string MeasurementText(NormalizedMeasurement measurement) =>
        $"{measurement.Type} at {measurement.OccurrenceTimeUtc:O}: " + string.Join(", ", measurement.Properties.Select(p => $"{p.Name}={p.Value}"));

    private static string StartOf(ReadOnlySequence<byte> payload)
    {
        var length = (int)Math.Min(payload.Length, DeviceJsonFormat.MaxRawFragmentLength);
        return Encoding.UTF8.GetString(payload.Slice(0, length));
    }
}
