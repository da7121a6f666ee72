using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OpenWard.Core.Readings;
using SQLitePCL;

namespace OpenWard.Server.Readings;

/// <summary>
/// The hot path of ingest: one prepared <c>INSERT OR IGNORE</c> into <c>readings</c>, bound and
/// stepped directly through SQLite's C API (no per-row parameter or reader objects). It runs
/// inside the caller's transaction on the same connection. When a reading was not inserted,
/// <see cref="Conflict"/> tells a resend (same values) from a different reading claiming the same
/// device, vital sign and time.
/// </summary>
public sealed class ReadingInsert : IDisposable
{
    private const string Sql = """
        INSERT OR IGNORE INTO readings (device_id, patient_id, vital, value, components, unit, device_time, received_time, seq)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);
        """;

    // The reading already stored under the same key as one that was not inserted (the key of ux_readings_measurement;
    // "IS" matches unattributed readings too, whose key is device, vital sign and time).
    private const string StoredSql = """
        SELECT value, components, unit FROM readings WHERE patient_id IS ?1 AND vital = ?2 AND device_time = ?3 AND device_id = ?4;
        """;

    private const int MaxCachedTexts = 100_000;
    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;
    private readonly sqlite3_stmt stored;

    // Device ids, patient ids, vital signs and units repeat on every row: encode each once.
    private readonly Dictionary<string, byte[]> utf8 = new(StringComparer.Ordinal);

    // The readings of one upload share device, patient, vital sign, unit and arrival time, and SQLite
    // keeps a statement's values from row to row: those are bound again only when they change (texts
    // compared by reference, so an equal text in another string is merely bound again).
    private static readonly object NullText = new();
    private readonly object?[] boundTexts = new object?[7];
    private long? boundReceivedTime;

    /// <summary>Prepares the statement on an open connection.</summary>
    public ReadingInsert(SqliteConnection connection)
    {
        database = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(database, Sql, out statement));
        Check(raw.sqlite3_prepare_v2(database, StoredSql, out stored));
    }

    /// <summary>Inserts one reading; false when it was a duplicate and nothing was written.</summary>
    public bool Insert(Reading reading)
    {
        try
        {
            BindText(1, reading.DeviceId);
            BindText(2, reading.PatientId);
            BindText(3, reading.Vital);
            Check(reading.Value is { } value ? raw.sqlite3_bind_double(statement, 4, value) : raw.sqlite3_bind_null(statement, 4));
            Check(reading.Components is { } components
                ? raw.sqlite3_bind_text(statement, 5, JsonSerializer.Serialize(components))
                : raw.sqlite3_bind_null(statement, 5));
            BindText(6, reading.Unit);
            Check(raw.sqlite3_bind_int64(statement, 7, reading.DeviceTime.ToUnixTimeMilliseconds()));
            var received = reading.ReceivedTime.ToUnixTimeMilliseconds();
            if (received != boundReceivedTime)
            {
                Check(raw.sqlite3_bind_int64(statement, 8, received));
                boundReceivedTime = received;
            }

            Check(reading.Sequence is { } seq ? raw.sqlite3_bind_int64(statement, 9, seq) : raw.sqlite3_bind_null(statement, 9));
            var result = raw.sqlite3_step(statement);
            if (result != raw.SQLITE_DONE)
            {
                Check(result);
            }

            return raw.sqlite3_changes(database) == 1;
        }
        catch
        {
            // After a failure nothing is assumed about what the statement holds: the next row binds every value.
            Array.Clear(boundTexts);
            boundReceivedTime = null;
            throw;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>
    /// For a reading that <see cref="Insert"/> did not store: null when the stored reading has the same
    /// value(s) (a resend), else the stored reading's value(s) in words, for the refusal.
    /// </summary>
    public string? Conflict(Reading reading)
    {
        try
        {
            Check(reading.PatientId is null
                ? raw.sqlite3_bind_null(stored, 1)
                : raw.sqlite3_bind_text(stored, 1, reading.PatientId));
            Check(raw.sqlite3_bind_text(stored, 2, reading.Vital));
            Check(raw.sqlite3_bind_int64(stored, 3, reading.DeviceTime.ToUnixTimeMilliseconds()));
            Check(raw.sqlite3_bind_text(stored, 4, reading.DeviceId));
            var result = raw.sqlite3_step(stored);
            if (result != raw.SQLITE_ROW)
            {
                Check(result == raw.SQLITE_DONE ? raw.SQLITE_NOTFOUND : result);
            }

            var value = raw.sqlite3_column_type(stored, 0) == raw.SQLITE_NULL ? (double?)null : raw.sqlite3_column_double(stored, 0);
            var components = raw.sqlite3_column_type(stored, 1) == raw.SQLITE_NULL
                ? null
                : JsonSerializer.Deserialize<Dictionary<string, double>>(raw.sqlite3_column_text(stored, 1).utf8_to_string());
            var existing = reading with { Value = value, Components = components, Unit = raw.sqlite3_column_text(stored, 2).utf8_to_string() };
            return ReadingValues.Same(existing, reading) ? null : ReadingValues.Describe(existing);
        }
        finally
        {
            raw.sqlite3_reset(stored);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        statement.Dispose();
        stored.Dispose();
    }

    private void BindText(int index, string? text)
    {
        var bound = (object?)text ?? NullText;
        if (!ReferenceEquals(boundTexts[index], bound))
        {
            Check(text is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, Utf8(text)));
            boundTexts[index] = bound;
        }
    }

    private byte[] Utf8(string text)
    {
        if (!utf8.TryGetValue(text, out var bytes))
        {
            if (utf8.Count >= MaxCachedTexts)
            {
                utf8.Clear();
            }

            bytes = Encoding.UTF8.GetBytes(text);
            utf8[text] = bytes;
        }

        return bytes;
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(database).utf8_to_string(), result);
        }
    }
}
