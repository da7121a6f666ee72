using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OpenWard.Core.Readings;
using SQLitePCL;

namespace OpenWard.Server.Storage;

/// <summary>
/// The hot path of ingest: one prepared <c>INSERT OR IGNORE</c> into <c>readings</c>, bound and
/// stepped directly through SQLite's C API (no per-row parameter or reader objects). It runs
/// inside the caller's transaction on the same connection.
/// </summary>
public sealed class ReadingInsert : IDisposable
{
    private const string Sql = """
        INSERT OR IGNORE INTO readings (device_id, patient_id, vital, value, components, unit, device_time, received_time, dedup_key, seq)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);
        """;

    private const int MaxCachedTexts = 100_000;
    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;

    // Device ids, patient ids, vital signs and units repeat on every row: encode each once.
    private readonly Dictionary<string, byte[]> utf8 = new(StringComparer.Ordinal);

    /// <summary>Prepares the statement on an open connection.</summary>
    public ReadingInsert(SqliteConnection connection)
    {
        database = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(database, Sql, out statement));
    }

    /// <summary>Inserts one reading; false when it was a duplicate and nothing was written.</summary>
    public bool Insert(Reading reading)
    {
        try
        {
            Check(raw.sqlite3_bind_text(statement, 1, Utf8(reading.DeviceId)));
            Check(reading.PatientId is { } patient ? raw.sqlite3_bind_text(statement, 2, Utf8(patient)) : raw.sqlite3_bind_null(statement, 2));
            Check(raw.sqlite3_bind_text(statement, 3, Utf8(reading.Vital)));
            Check(reading.Value is { } value ? raw.sqlite3_bind_double(statement, 4, value) : raw.sqlite3_bind_null(statement, 4));
            Check(reading.Components is { } components
                ? raw.sqlite3_bind_text(statement, 5, JsonSerializer.Serialize(components))
                : raw.sqlite3_bind_null(statement, 5));
            Check(raw.sqlite3_bind_text(statement, 6, Utf8(reading.Unit)));
            Check(raw.sqlite3_bind_int64(statement, 7, reading.DeviceTime.ToUnixTimeMilliseconds()));
            Check(raw.sqlite3_bind_int64(statement, 8, reading.ReceivedTime.ToUnixTimeMilliseconds()));
            // The de-duplication key (vital@milliseconds) is written as UTF-8 straight into the stack.
            Span<byte> key = stackalloc byte[256];
            Check(System.Text.Unicode.Utf8.TryWrite(key, CultureInfo.InvariantCulture, $"{reading.Vital}@{reading.DeviceTime.ToUnixTimeMilliseconds()}", out var keyLength)
                ? raw.sqlite3_bind_text(statement, 9, key[..keyLength])
                : raw.sqlite3_bind_text(statement, 9, reading.DeduplicationKey));
            Check(reading.Sequence is { } seq ? raw.sqlite3_bind_int64(statement, 10, seq) : raw.sqlite3_bind_null(statement, 10));
            var result = raw.sqlite3_step(statement);
            if (result != raw.SQLITE_DONE)
            {
                Check(result);
            }

            return raw.sqlite3_changes(database) == 1;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <inheritdoc />
    public void Dispose() => statement.Dispose();

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
