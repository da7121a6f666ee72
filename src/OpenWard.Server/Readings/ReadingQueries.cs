using System.Globalization;
using System.Text.Json;
using System.Data.Common;
using OpenWard.Core.Readings;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>Reads a patient's stored readings: the latest per vital sign, raw pages, and bucketed summaries.</summary>
public sealed class ReadingQueries(ClinicalDatabase database)
{
    private const string Columns = "id, device_id, patient_id, vital, value, components, unit, device_time, received_time, seq";

    /// <summary>The newest reading (by device time) of each vital sign of a patient.</summary>
    public async Task<IReadOnlyList<Reading>> LatestAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        // SQLite takes the bare columns from the row that holds max(device_time).
        query.CommandText = $"SELECT {Columns}, max(device_time) FROM readings WHERE patient_id = @patient GROUP BY vital ORDER BY vital;";
        query.AddParameter("@patient", patientId);
        var latest = new List<Reading>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            latest.Add(ReadReading(reader));
        }

        return latest;
    }

    /// <summary>A page of raw readings of one vital sign in [from, to), oldest first.</summary>
    public async Task<Outcome<ReadingPage>> PageAsync(
        string patientId, string vital, DateTimeOffset? from, DateTimeOffset? to, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var after = (Time: long.MinValue, Id: long.MinValue);
        if (cursor is not null)
        {
            var parts = cursor.Split('_');
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var t) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var i))
            {
                return Outcome<ReadingPage>.Refused(ProblemKind.Invalid, "cursor is not one this API returned");
            }

            after = (t, i);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"""
            SELECT {Columns} FROM readings
            WHERE patient_id = @patient AND vital = @vital AND device_time >= @from AND device_time < @to
              AND (device_time, id) > (@afterTime, @afterId)
            ORDER BY device_time, id
            LIMIT @limit;
            """;
        AddRange(query, patientId, vital, from, to);
        query.AddParameter("@afterTime", after.Time);
        query.AddParameter("@afterId", after.Id);
        query.AddParameter("@limit", limit + 1);
        var items = new List<ReadingView>(Math.Min(limit, 1024));
        string? next = null;
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        long lastTime = 0, lastId = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                next = string.Create(CultureInfo.InvariantCulture, $"{lastTime}_{lastId}");
                break;
            }

            lastId = reader.GetInt64(0);
            lastTime = reader.GetInt64(7);
            items.Add(ReadingView.From(ReadReading(reader)));
        }

        return Outcome<ReadingPage>.Done(new ReadingPage(items, next));
    }

    /// <summary>
    /// Buckets of <paramref name="bucket"/> length with count, min, max and mean (per component for
    /// multi-part signs), oldest first; the cursor is the start of the next bucket.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<ReadingBucket>>> BucketsAsync(
        string patientId, string vital, bool hasComponents, TimeSpan bucket, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = hasComponents
            ? """
              SELECT (r.device_time / @bucket) * @bucket AS start, j.key, count(*), min(j.value), max(j.value), avg(j.value)
              FROM readings r, json_each(r.components) j
              WHERE r.patient_id = @patient AND r.vital = @vital AND r.device_time >= @from AND r.device_time < @to
              GROUP BY start, j.key
              ORDER BY start, j.key;
              """
            : """
              SELECT (device_time / @bucket) * @bucket AS start, NULL, count(*), min(value), max(value), avg(value)
              FROM readings
              WHERE patient_id = @patient AND vital = @vital AND device_time >= @from AND device_time < @to
              GROUP BY start
              ORDER BY start;
              """;
        AddRange(query, patientId, vital, from, to);
        query.AddParameter("@bucket", (long)bucket.TotalMilliseconds);
        var buckets = new List<ReadingBucket>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        Dictionary<string, ComponentStatistics>? components = null;
        long currentStart = long.MinValue, currentCount = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var start = reader.GetInt64(0);
            if (!hasComponents)
            {
                buckets.Add(new ReadingBucket
                {
                    Start = DateTimeOffset.FromUnixTimeMilliseconds(start),
                    Count = reader.GetInt64(2),
                    Min = reader.GetDouble(3),
                    Max = reader.GetDouble(4),
                    Mean = reader.GetDouble(5),
                });
                continue;
            }

            if (start != currentStart)
            {
                Flush();
                currentStart = start;
                currentCount = 0;
                components = new Dictionary<string, ComponentStatistics>(StringComparer.Ordinal);
            }

            // Every component of a reading is counted separately; the bucket's count is that of its most frequent component.
            currentCount = Math.Max(currentCount, reader.GetInt64(2));
            components![reader.GetString(1)] = new ComponentStatistics(reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5));
        }

        Flush();
        return Outcome<IReadOnlyList<ReadingBucket>>.Done(buckets);

        void Flush()
        {
            if (components is { Count: > 0 })
            {
                buckets.Add(new ReadingBucket { Start = DateTimeOffset.FromUnixTimeMilliseconds(currentStart), Count = currentCount, Components = components });
            }
        }
    }

    /// <summary>How many readings a patient has (all vital signs), e.g. to verify a benchmark.</summary>
    public async Task<long> CountAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT count(*) FROM readings WHERE patient_id = @patient;";
        query.AddParameter("@patient", patientId);
        return Convert.ToInt64(await query.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static void AddRange(DbCommand query, string patientId, string vital, DateTimeOffset? from, DateTimeOffset? to)
    {
        query.AddParameter("@patient", patientId);
        query.AddParameter("@vital", vital);
        query.AddParameter("@from", from?.ToUnixTimeMilliseconds() ?? long.MinValue);
        query.AddParameter("@to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue);
    }

    private static Reading ReadReading(DbDataReader reader) => new()
    {
        DeviceId = reader.GetString(1),
        PatientId = reader.IsDBNull(2) ? null : reader.GetString(2),
        Vital = reader.GetString(3),
        Value = reader.IsDBNull(4) ? null : reader.GetDouble(4),
        Components = reader.IsDBNull(5) ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(5)),
        Unit = reader.GetString(6),
        DeviceTime = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
        ReceivedTime = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        Sequence = reader.IsDBNull(9) ? null : reader.GetInt64(9),
    };
}
