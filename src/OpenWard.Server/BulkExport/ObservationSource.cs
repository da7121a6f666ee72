using System.Threading.Channels;
using OpenWard.Server.Readings;

namespace OpenWard.Server.BulkExport;

/// <summary>
/// Every stored reading of the scope's patients as an Observation, patient by patient, streamed from
/// the store. Reading the store and writing JSON overlap on two cores: the next pages are read while
/// one is written, at most <see cref="PagesAhead"/> ahead, so memory stays a few pages whatever the export's length.
/// </summary>
public sealed class ObservationSource(ReadingStream readings) : IExportSource
{
    /// <summary>How many pages of readings may wait to be written.</summary>
    public const int PagesAhead = 2;

    /// <inheritdoc />
    public string ResourceType => "Observation";

    /// <inheritdoc />
    public async Task WriteAsync(ExportScope scope, NdjsonFile file, CancellationToken cancellationToken)
    {
        var pages = Channel.CreateBounded<IReadOnlyList<StoredReading>>(
            new BoundedChannelOptions(PagesAhead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadAsync(scope, pages.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var page in pages.Reader.ReadAllAsync(cancellationToken))
            {
                foreach (var stored in page)
                {
                    file.Write(stored.Id, stored.Reading);
                }
            }
        }
        finally
        {
            // When writing stops early (cancelled, or the disk failed), the reading stops too.
            await stop.CancelAsync();
            await reading;
        }
    }

    private async Task ReadAsync(ExportScope scope, ChannelWriter<IReadOnlyList<StoredReading>> pages, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var patientId in scope.PatientIds)
            {
                await foreach (var page in readings.ReadPagesAsync(patientId, scope.Since, cancellationToken))
                {
                    await pages.WriteAsync(page, cancellationToken);
                }
            }

            pages.Complete();
        }
        catch (Exception failure)
        {
            // The writer meets the failure (or the cancellation) where it reads the next page.
            pages.Complete(failure);
        }
    }
}
