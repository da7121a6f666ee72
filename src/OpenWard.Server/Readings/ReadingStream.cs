using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>
/// A patient's readings, every vital sign, read page by page in the order of the readings' index, for
/// exports: each page is one short query, so that neither memory nor a read snapshot grows with the
/// length of the history (a long-lived read holds back the write-ahead log's checkpoints).
/// </summary>
public sealed class ReadingStream(ClinicalDatabase database)
{
    /// <summary>How many readings one query reads.</summary>
    public const int PageSize = 8192;

    /// <summary>
    /// The patient's readings received at or after <paramref name="receivedSince"/> (all when null), by vital sign, then time,
    /// a page of at most <see cref="PageSize"/> at a time (each page a list of its own, which the caller may keep).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<StoredReading>> ReadPagesAsync(
        string patientId, DateTimeOffset? receivedSince, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var since = receivedSince?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var (vital, time, device) = ("", long.MinValue, "");
        List<StoredReading> page;
        do
        {
            page = new List<StoredReading>(PageSize);
            await using (var connection = await database.OpenAsync(cancellationToken))
            await using (var query = connection.CreateCommand())
            {
                query.CommandText = $"""
                    SELECT {ReadingQueries.Columns} FROM readings
                    WHERE patient_id = @patient AND (vital, device_time, device_id) > (@vital, @time, @device) AND received_time >= @since
                    ORDER BY vital, device_time, device_id
                    LIMIT @limit;
                    """;
                query.AddParameter("@patient", patientId);
                query.AddParameter("@vital", vital);
                query.AddParameter("@time", time);
                query.AddParameter("@device", device);
                query.AddParameter("@since", since);
                query.AddParameter("@limit", PageSize);
                await using var reader = await query.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(new StoredReading(reader.GetInt64(0), ReadingQueries.ReadReading(reader)));
                }
            }

            if (page.Count == 0)
            {
                yield break;
            }

            var last = page[^1].Reading;
            (vital, time, device) = (last.Vital, last.DeviceTime.ToUnixTimeMilliseconds(), last.DeviceId);
            yield return page;
        }
        while (page.Count == PageSize);
    }
}
