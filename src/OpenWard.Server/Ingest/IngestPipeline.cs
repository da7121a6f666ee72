using System.Buffers;
using System.Text;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Readings;
using OpenWard.Server.Devices;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Ingest;

/// <summary>
/// The path every device payload takes, whatever it arrived by: decode → validate → attribute to
/// the patient the device was assigned to at each reading's time → group-commit (duplicates are
/// skipped by the store, refused readings are dead-lettered with their reason) → answer.
/// </summary>
public sealed class IngestPipeline(DeviceDirectory directory, ReadingCommitter committer, TimeProvider clock)
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

        var accepted = new List<Reading>(batch.Items.Count);
        var refused = new List<RefusedReading>();
        var deadLetters = new List<DeadLetter>();
        foreach (var item in batch.Items)
        {
            var problem = item.Problem;
            if (problem is null)
            {
                var check = ReadingValidator.Check(item.Submission!, deviceId, received);
                if (check.Reading is { } reading)
                {
                    accepted.Add(reading with { PatientId = directory.PatientAt(deviceId, reading.DeviceTime) });
                    continue;
                }

                problem = check.Problem!;
            }

            refused.Add(new RefusedReading(item.Index, problem));
            deadLetters.Add(new DeadLetter
            {
                ReceivedAt = received,
                Channel = channel,
                DeviceId = deviceId,
                ItemIndex = item.Index,
                Reason = problem,
                Raw = item.RawJson,
            });
        }

        var result = await committer.CommitAsync(accepted, deadLetters, cancellationToken);
        var unattributed = 0;
        for (var i = 0; i < accepted.Count; i++)
        {
            if (result.Stored[i] && accepted[i].PatientId is null)
            {
                unattributed++;
            }
        }

        return new IngestOutcome
        {
            Received = batch.Items.Count,
            Stored = result.StoredCount,
            Duplicates = result.DuplicateCount,
            Unattributed = unattributed,
            Refused = refused,
        };
    }

    /// <summary>Dead-letters a whole payload with its reason (keeping its first 2 KiB) and reports it refused.</summary>
    public async Task<IngestOutcome> RefusePayloadAsync(
        string deviceId, string channel, string problem, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        var letter = new DeadLetter
        {
            ReceivedAt = clock.GetUtcNow(),
            Channel = channel,
            DeviceId = deviceId,
            Reason = problem,
            Raw = StartOf(payload),
        };
        await committer.CommitAsync([], [letter], cancellationToken);
        return new IngestOutcome
        {
            Received = 0, Stored = 0, Duplicates = 0, Unattributed = 0, Refused = [], PayloadProblem = problem,
        };
    }

    private static string StartOf(ReadOnlySequence<byte> payload)
    {
        var length = (int)Math.Min(payload.Length, DeviceJsonFormat.MaxRawFragmentLength);
        return Encoding.UTF8.GetString(payload.Slice(0, length));
    }
}
