using System.Globalization;
using System.Text.Json;
using System.Data.Common;
using OpenWard.Core.Readings;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>Reads a patient's stored readings: the latest per vital sign, raw pages, and bucketed summaries.</summary>
public sealed class ReadingQueries(ClinicalDatabase database)
{
    /// <summary>The columns <see cref="ReadReading"/> reads, in its order.</summary>
    internal const string Columns = "id, device_id, patient_id, vital, value, components, unit, device_time, received_time, seq";

    /// <summary>
    /// The keys the store holds a patient's readings under, found by their measurement (patient, vital sign, device time and
    /// device) on one connection, in the readings' order; null for one not stored (or of no patient).
    /// </summary>
    public async Task<IReadOnlyList<long?>> StoredIdsAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = new List<long?>(readings.Count);
        foreach (var reading in readings)
        {
            await using var query = connection.CreateCommand();
            query.CommandText = "SELECT id FROM readings WHERE patient_id = @patient AND vital = @vital AND device_time = @time AND device_id = @device;";
            query.AddParameter("@patient", reading.PatientId);
            query.AddParameter("@vital", reading.Vital);
            query.AddParameter("@time", reading.DeviceTime.ToUnixTimeMilliseconds());
            query.AddParameter("@device", reading.DeviceId);
            ids.Add(await query.ExecuteScalarAsync(cancellationToken) is { } id and not DBNull ? Convert.ToInt64(id, CultureInfo.InvariantCulture) : null);
        }

        return ids;
    }

    /// <summary>The newest reading (by device time) of each vital sign of a patient.</summary>
    public async Task<IReadOnlyList<Reading>> LatestAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var latest = new List<Reading>();
        foreach (var vital in await VitalsAsync(connection, patientId, cancellationToken))
        {
            await using var query = connection.CreateCommand();
            query.CommandText = $"SELECT {Columns} FROM readings WHERE patient_id = @patient AND vital = @vital ORDER BY device_time DESC, device_id DESC LIMIT 1;";
            query.AddParameter("@patient", patientId);
            query.AddParameter("@vital", vital);
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                latest.Add(ReadReading(reader));
            }
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
        AddRange(query, patientId, vital, from, to, after.Time);
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
              SELECT (device_time / @bucket) * @bucket AS start, components
              FROM readings
              WHERE patient_id = @patient AND vital = @vital AND device_time >= @from AND device_time < @to AND components IS NOT NULL
              ORDER BY device_time;
              """
            : """
              SELECT (device_time / @bucket) * @bucket AS start, count(*), min(value), max(value), avg(value)
              FROM readings
              WHERE patient_id = @patient AND vital = @vital AND device_time >= @from AND device_time < @to
              GROUP BY start
              ORDER BY start;
              """;
        AddRange(query, patientId, vital, from, to);
        query.AddParameter("@bucket", (long)bucket.TotalMilliseconds);
        var buckets = new List<ReadingBucket>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        if (!hasComponents)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                buckets.Add(new ReadingBucket
                {
                    Start = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                    Count = reader.GetInt64(1),
                    Min = reader.GetDouble(2),
                    Max = reader.GetDouble(3),
                    Mean = reader.GetDouble(4),
                });
            }

            return Outcome<IReadOnlyList<ReadingBucket>>.Done(buckets);
        }

        // Multi-part signs are summarised per component here rather than in SQL, whose JSON functions
        // each engine spells its own way. Every component of a reading is counted separately; the
        // bucket's count is that of its most frequent component.
        var bucketStart = long.MinValue;
        var components = new Dictionary<string, ComponentSummary>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var start = reader.GetInt64(0);
            if (start != bucketStart)
            {
                Flush();
                bucketStart = start;
                components = new Dictionary<string, ComponentSummary>(StringComparer.Ordinal);
            }

            foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(1)) ?? [])
            {
                components[key] = components.TryGetValue(key, out var summary) ? summary.Add(value) : new ComponentSummary(1, value, value, value);
            }
        }

        Flush();
        return Outcome<IReadOnlyList<ReadingBucket>>.Done(buckets);

        void Flush()
        {
            if (components.Count > 0)
            {
                buckets.Add(new ReadingBucket
                {
                    Start = DateTimeOffset.FromUnixTimeMilliseconds(bucketStart),
                    Count = components.Values.Max(c => c.Count),
                    Components = components.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => new ComponentStatistics(c.Value.Min, c.Value.Max, c.Value.Sum / c.Value.Count), StringComparer.Ordinal),
                });
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

    // The patient's vital signs, each found by one index probe (a skip scan, written as a recursive query both engines run).
    private static async Task<List<string>> VitalsAsync(DbConnection connection, string patientId, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = """
            WITH RECURSIVE vitals(vital) AS (
                SELECT min(vital) FROM readings WHERE patient_id = @patient
                UNION ALL
                SELECT (SELECT min(vital) FROM readings WHERE patient_id = @patient AND vital > vitals.vital) FROM vitals WHERE vitals.vital IS NOT NULL
            )
            SELECT vital FROM vitals WHERE vital IS NOT NULL;
            """;
        query.AddParameter("@patient", patientId);
        var vitals = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            vitals.Add(reader.GetString(0));
        }

        return vitals;
    }

    private static void AddRange(DbCommand query, string patientId, string vital, DateTimeOffset? from, DateTimeOffset? to, long notBefore = long.MinValue)
    {
        query.AddParameter("@patient", patientId);
        query.AddParameter("@vital", vital);
        // A cursor's time narrows the range read along the index, so that a page deep in a month costs what the first page does
        // (the row comparison after it is not a range either engine's index can start from).
        query.AddParameter("@from", Math.Max(from?.ToUnixTimeMilliseconds() ?? long.MinValue, notBefore));
        query.AddParameter("@to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue);
    }

    /// <summary>The reading in a row of <see cref="Columns"/>.</summary>
    internal static Reading ReadReading(DbDataReader reader) => new()
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

    private readonly record struct ComponentSummary(long Count, double Min, double Max, double Sum)
    {
        public ComponentSummary Add(double value) => new(Count + 1, Math.Min(Min, value), Math.Max(Max, value), Sum + value);
    }
}
