using System.Threading.Channels;
using OpenWard.Core.Readings;

namespace OpenWard.Server.Monitoring;

/// <summary>
/// Carries newly committed, attributed readings from the ingest pipeline to the patients' grains, so
/// that monitoring never slows the acknowledgement of a device.
/// </summary>
public sealed class PatientFeed
{
    private readonly Channel<IReadOnlyList<Reading>> channel = Channel.CreateUnbounded<IReadOnlyList<Reading>>(
        new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The committed readings, an ingested payload (or a device's share of one) at a time.</summary>
    public ChannelReader<IReadOnlyList<Reading>> Reader => channel.Reader;

    /// <summary>Queues readings a commit stored for their patients (not duplicates, not unattributed ones); only once that commit has returned.</summary>
    public void Publish(IReadOnlyList<Reading> committed) => channel.Writer.TryWrite(committed);
}
