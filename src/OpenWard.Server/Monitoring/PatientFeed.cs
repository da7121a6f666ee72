using System.Threading.Channels;
using OpenWard.Core.Readings;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Monitoring;

/// <summary>
/// Carries newly committed, attributed readings from the store to the patients' grains, so that
/// monitoring never slows the acknowledgement of a device.
/// </summary>
public sealed class PatientFeed
{
    private readonly Channel<IReadOnlyList<Reading>> channel = Channel.CreateUnbounded<IReadOnlyList<Reading>>(
        new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The committed readings, a transaction at a time.</summary>
    public ChannelReader<IReadOnlyList<Reading>> Reader => channel.Reader;

    /// <summary>Queues the readings that a commit stored (not duplicates, not unattributed ones).</summary>
    public void Publish(IReadOnlyList<CommitRequest> batch, IReadOnlyList<CommitResult> results)
    {
        var stored = new List<Reading>();
        for (var i = 0; i < batch.Count; i++)
        {
            var readings = batch[i].Readings;
            for (var j = 0; j < readings.Count; j++)
            {
                if (results[i].Stored[j] && readings[j].PatientId is not null)
                {
                    stored.Add(readings[j]);
                }
            }
        }

        if (stored.Count > 0)
        {
            channel.Writer.TryWrite(stored);
        }
    }
}
