using System.Data.Common;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>
/// A patient's readings of several vital signs in one order — by device time, then stored id, either
/// way — read a page at a time after a keyset, and a reading found by its stored key. Each vital sign
/// is read along the readings' one index and the signs are merged here, so that a page costs the
/// same however long the patient's history is.
/// </summary>
public sealed class ReadingSearch(ClinicalDatabase database)
{
    private const string Columns = "id, device_id, patient_id, vital, value, components, unit, device_time, received_time, seq";

    /// <summary>The reading stored under <paramref name="id"/> with this device time, or null.</summary>
    public async Task<StoredReading?> FindAsync(long id, DateTimeOffset deviceTime, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        // The device time lets PostgreSQL look in the one partition the reading is in.
        query.CommandText = $"SELECT {Columns} FROM readings WHERE id = @id AND device_time = @time;";
        query.AddParameter("@id", id);
        query.AddParameter("@time", deviceTime.ToUnixTimeMilliseconds());
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredReading(id, ReadingQueries.ReadReading(reader)) : null;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> readings of the patient's <paramref name="vitals"/> with device time
    /// in [from, to), after <paramref name="after"/> in the order asked for.
    /// </summary>
    public async Task<IReadOnlyList<StoredReading>> PageAsync(
        string patientId, IReadOnlyCollection<string> vitals, DateTimeOffset? from, DateTimeOffset? to,
        ReadingKeyset? after, int limit, bool newestFirst, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var merged = new List<StoredReading>();
        foreach (var vital in vitals)
        {
            merged.AddRange(await VitalPageAsync(connection, patientId, vital, from, to, after, limit, newestFirst, cancellationToken));
        }

        var ordered = newestFirst
            ? merged.OrderByDescending(r => r.Reading.DeviceTime).ThenByDescending(r => r.Id)
            : merged.OrderBy(r => r.Reading.DeviceTime).ThenBy(r => r.Id);
        return [.. ordered.Take(limit)];
    }

    /// <summary>The newest <paramref name="max"/> readings of each of the patient's <paramref name="vitals"/>, newest first per sign.</summary>
    public async Task<IReadOnlyList<StoredReading>> LatestAsync(
        string patientId, IReadOnlyCollection<string> vitals, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var latest = new List<StoredReading>();
        foreach (var vital in vitals)
        {
            latest.AddRange(await VitalPageAsync(connection, patientId, vital, null, null, null, max, newestFirst: true, cancellationToken));
        }

        return latest;
    }

    private static async Task<List<StoredReading>> VitalPageAsync(
        DbConnection connection, string patientId, string vital, DateTimeOffset? from, DateTimeOffset? to,
        ReadingKeyset? after, int limit, bool newestFirst, CancellationToken cancellationToken)
    {
        // The keyset narrows the device time range (which the index serves); the ids break ties among
        // readings of that very millisecond.
        var lower = from?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var upper = to?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        var tieBreak = "";
        if (after is { } key)
        {
            if (newestFirst)
            {
                upper = Math.Min(upper, key.DeviceTime == long.MaxValue ? long.MaxValue : key.DeviceTime + 1);
                tieBreak = "AND (device_time < @afterTime OR id < @afterId)";
            }
            else
            {
                lower = Math.Max(lower, key.DeviceTime);
                tieBreak = "AND (device_time > @afterTime OR id > @afterId)";
            }
        }

        await using var query = connection.CreateCommand();
        query.CommandText = $"""
            SELECT {Columns} FROM readings
            WHERE patient_id = @patient AND vital = @vital AND device_time >= @from AND device_time < @to {tieBreak}
            ORDER BY {(newestFirst ? "device_time DESC, id DESC" : "device_time, id")}
            LIMIT @limit;
            """;
        query.AddParameter("@patient", patientId);
        query.AddParameter("@vital", vital);
        query.AddParameter("@from", lower);
        query.AddParameter("@to", upper);
        if (after is { } cursor)
        {
            query.AddParameter("@afterTime", cursor.DeviceTime);
            query.AddParameter("@afterId", cursor.Id);
        }

        query.AddParameter("@limit", limit);
        var page = new List<StoredReading>(Math.Min(limit, 1024));
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new StoredReading(reader.GetInt64(0), ReadingQueries.ReadReading(reader)));
        }

        return page;
    }
}
