using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Readings;
using OpenWard.Server.Devices;
using OpenWard.Server.Monitoring;
using OpenWard.Server.Readings;

namespace OpenWard.Server.Ingest;

/// <summary>
/// The path every device payload takes, whatever it arrived by and whatever decoded it: validate →
/// attribute to the patient the device was assigned to at each reading's time → group-commit
/// (duplicates are skipped by the store, refused readings are dead-lettered with their reason) →
/// publish what was committed to monitoring → answer. A reading that differs from the one already
/// stored for its device, vital sign and time is refused and dead-lettered with both values: nothing
/// a device sends disappears as a "duplicate" that was not one.
/// </summary>
public sealed class IngestPipeline(
    DeviceDirectory directory, ReadingCommitter committer, PatientFeed monitoring, DeviceStatusRecorder deviceStatus)
{
    /// <summary>
    /// Ingests what a decoder made of one payload of <paramref name="deviceId"/>, received at
    /// <paramref name="received"/> over <paramref name="channel"/>: a payload refused as a whole is
    /// dead-lettered with its reason and reported refused; otherwise each item is validated, attributed
    /// and committed, and an item carrying a problem is dead-lettered with it and its raw text. Answers
    /// only once everything is committed, and hands the committed readings to monitoring first.
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(
        string deviceId, DecodedBatch batch, string channel, DateTimeOffset received, CancellationToken cancellationToken)
    {
        if (batch.Refusal is { } refusal)
        {
            return await RefuseAsync(deviceId, channel, refusal, received, cancellationToken);
        }

        var items = batch.Items;
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

        // Not cancelled when the device goes away: a commit ends within moments, and what it stored
        // reaches monitoring all the same.
        var result = await committer.CommitAsync(accepted, deadLetters, CancellationToken.None);
        PublishCommitted(accepted, result);
        var unattributed = 0;
        var conflicts = new List<DeadLetter>();
        var inStore = new List<ReadingInStore>(accepted.Count);
        for (var i = 0; i < accepted.Count; i++)
        {
            if (result.Conflicts[i] is null)
            {
                inStore.Add(new ReadingInStore(acceptedItems[i].Index, accepted[i]));
            }

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
            InStore = inStore,
            Notes = batch.Notes,
        };

        DeadLetter DeadLetterOf(SubmittedItem item, string problem) => new()
        {
            ReceivedAt = received,
            Channel = channel,
            DeviceId = deviceId,
            ItemIndex = item.Index,
            Reason = problem,
            Raw = batch.RawTextOf(item),
        };
    }

    /// <summary>Dead-letters a payload refused as a whole with its reason, and reports it refused.</summary>
    private async Task<IngestOutcome> RefuseAsync(
        string deviceId, string channel, PayloadRefusal refusal, DateTimeOffset received, CancellationToken cancellationToken)
    {
        var letter = new DeadLetter
        {
            ReceivedAt = received,
            Channel = channel,
            DeviceId = deviceId,
            Reason = refusal.Reason,
            Raw = refusal.Raw,
        };
        await committer.CommitAsync([], [letter], cancellationToken);
        return new IngestOutcome
        {
            Received = 0, Stored = 0, Duplicates = 0, Unattributed = 0, Refused = [], PayloadProblem = refusal.Reason,
        };
    }

    /// <summary>
    /// Dead-letters a publish of <paramref name="deviceId"/> on <paramref name="topic"/>, another device's
    /// topic or none's, with the reason and without its payload (which may be another patient's data),
    /// and answers once it is committed.
    /// </summary>
    public async Task<string> RefuseTopicAsync(string deviceId, string channel, string topic, DateTimeOffset received, CancellationToken cancellationToken)
    {
        var reason = $"published on {topic}, which is not this device's; a device publishes only under devices/{deviceId}/ (the payload was not kept)";
        var letter = new DeadLetter
        {
            ReceivedAt = received,
            Channel = channel,
            DeviceId = deviceId,
            Reason = reason,
            Raw = "",
            RefusedTopic = topic,
        };
        await committer.CommitAsync([], [letter], cancellationToken);
        return reason;
    }

    /// <summary>
    /// Hands the readings a commit stored for a patient (not duplicates, not unattributed ones) to
    /// monitoring, and the battery charges among them to the device status. Called only once the
    /// commit has returned, so nothing reaches monitoring that is not on disk.
    /// </summary>
    private void PublishCommitted(List<Reading> readings, CommitResult result)
    {
        List<Reading>? stored = null;
        for (var i = 0; i < readings.Count; i++)
        {
            if (result.Stored[i] && readings[i].PatientId is not null)
            {
                (stored ??= []).Add(readings[i]);
            }
        }

        if (stored is not null)
        {
            deviceStatus.Committed(stored);
            monitoring.Publish(stored);
        }
    }
}
