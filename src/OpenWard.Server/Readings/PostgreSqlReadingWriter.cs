using System.Data;
using System.Runtime.InteropServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OpenWard.Core.Readings;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>
/// The group commit's writes on PostgreSQL, on the writer's own connection: a batch's readings are
/// copied in binary (<c>COPY</c>) straight into the readings table. When every reading is new — almost
/// always — that is all. When one is already stored (a device sent it again, or sent another value for
/// the same moment) the copy fails on the unique index and the transaction is undone; the batch is then
/// written again in a new one, copied into a temporary table and inserted from there, skipping those the
/// store holds (<c>ON CONFLICT DO NOTHING</c>) and returning which it stored, and each one not stored is
/// compared with the stored reading.
/// Several writers may be in flight at once, each on its own connection: a reading that two batches in
/// flight both hold makes the second wait on the unique index until the first commits (then it is found
/// stored) or is undone (then the second stores it), so it is stored, and reaches monitoring, once.
/// A failed batch is not acknowledged. Its transaction is undone, and the connection kept for the next batch
/// when PostgreSQL refused a statement (a second deadlock, a constraint) and the connection is still open after
/// the rollback; a connection lost, or left in a state the writer cannot know (an error of the client's own
/// mid-statement), is dropped and opened afresh for the next.
/// </summary>
public sealed class PostgreSqlReadingWriter(PostgreSqlClinicalDatabase database, FieldProtector protector) : ReadingBatchWriter
{
    private const string ReadingColumns = "device_id, patient_id, vital, value, components, unit, device_time, received_time, seq";

    private const string InsertFromIncoming = $"INSERT INTO readings ({ReadingColumns}) SELECT {ReadingColumns} FROM incoming ON CONFLICT DO NOTHING";

    // A group undone to break a deadlock is written again; a second deadlock fails it.
    private const int MaxAttempts = 2;

    // How long a group undone to break a deadlock waits before it is written again: long enough for the other
    // group, which its undoing woke, to write the readings they share first.
    private static readonly TimeSpan DeadlockBackOff = TimeSpan.FromMilliseconds(50);

    private NpgsqlConnection? connection;
    private int openedAfter;

    /// <inheritdoc />
    public override async Task<CommitResult[]> WriteAsync(Func<IReadOnlyList<CommitRequest>> takeBatch, CancellationToken cancellationToken)
    {
        var batch = takeBatch();
        var throughIncoming = false;
        var deadlocks = 0;
        while (true)
        {
            try
            {
                if (connection is not null && openedAfter != database.TimesForgotten)
                {
                    // Another part of the server found its connection lost since this one was opened (the
                    // server restarted, the network was cut): this one is most likely broken too, and
                    // would fail a batch of its own before it noticed.
                    await DisposeAsync();
                }

                connection ??= await OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var results = await WriteAsync(connection, batch, throughIncoming, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return results;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && !throughIncoming)
            {
                // A reading of the batch is stored already: the transaction is undone and the batch
                // written again through the temporary table.
                throughIncoming = true;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && ++deadlocks < MaxAttempts)
            {
                // Two groups in flight (this node's or another's) each waited on a reading the other had
                // written first; PostgreSQL undid this one. Written again, it waits for the other's commit
                // and finds those readings stored. Written again at once, it could take a shared reading
                // back before the other, just woken, wrote it, and the two would deadlock again.
                await Task.Delay(DeadlockBackOff, cancellationToken);
            }
            catch (Exception e)
            {
                // Here the transaction has been disposed: rolled back, if the connection could still say so.
                if (!(e is PostgresException && connection is { FullState: ConnectionState.Open }))
                {
                    await DisposeAsync();
                }

                if (PostgreSqlClinicalDatabase.IsConnectionLost(e))
                {
                    database.ForgetConnections();
                }

                throw;
            }
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        openedAfter = database.TimesForgotten;
        var opened = await database.Writable.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var create = opened.CreateCommand();
            create.CommandText = "CREATE TEMPORARY TABLE incoming (LIKE readings INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;";
            await create.ExecuteNonQueryAsync(cancellationToken);
            return opened;
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
    }

    private async Task<CommitResult[]> WriteAsync(NpgsqlConnection writer, IReadOnlyList<CommitRequest> batch, bool throughIncoming, CancellationToken cancellationToken)
    {
        // Every reading of the batch in order, each with the position of the first reading of its key: a
        // reading sent twice in one batch is written once, and the first is the one the store keeps.
        var readings = new List<Reading>();
        foreach (var request in batch)
        {
            readings.AddRange(request.Readings);
        }

        var firstOfKey = new Dictionary<ReadingKey, int>(readings.Count);
        var first = new int[readings.Count];
        var unique = new List<Reading>(readings.Count);
        for (var i = 0; i < readings.Count; i++)
        {
            ref var firstPosition = ref CollectionsMarshal.GetValueRefOrAddDefault(firstOfKey, ReadingKey.Of(readings[i]), out var seen);
            if (!seen)
            {
                firstPosition = i;
                unique.Add(readings[i]);
            }

            first[i] = firstPosition;
        }

        var stored = new bool[readings.Count];
        if (!throughIncoming)
        {
            await CopyAsync(writer, "readings", unique, cancellationToken);
            for (var i = 0; i < readings.Count; i++)
            {
                stored[i] = first[i] == i;
            }
        }
        else
        {
            await CopyAsync(writer, "incoming", unique, cancellationToken);
            var inserted = await InsertReturningKeysAsync(writer, cancellationToken);
            for (var i = 0; i < readings.Count; i++)
            {
                stored[i] = first[i] == i && inserted.Contains(ReadingKey.Of(readings[i]));
            }
        }

        var results = new CommitResult[batch.Count];
        var position = 0;
        for (var r = 0; r < batch.Count; r++)
        {
            var count = batch[r].Readings.Count;
            var conflicts = new string?[count];
            for (var j = 0; j < count; j++, position++)
            {
                if (!stored[position])
                {
                    // The same key earlier in this batch, stored by it, or the reading the store already held.
                    var existing = stored[first[position]]
                        ? readings[first[position]]
                        : await StoredAsync(writer, readings[position], cancellationToken) ?? readings[first[position]];
                    conflicts[j] = ReadingValues.Same(existing, readings[position]) ? null : ReadingValues.Describe(existing);
                }
            }

            await WriteDeadLettersAsync(writer, batch[r].DeadLetters, cancellationToken);
            results[r] = new CommitResult(stored[(position - count)..position], conflicts);
        }

        return results;
    }

    private static async Task CopyAsync(NpgsqlConnection writer, string table, List<Reading> readings, CancellationToken cancellationToken)
    {
        await using var copy = await writer.BeginBinaryImportAsync($"COPY {table} ({ReadingColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var reading in readings)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(reading.DeviceId, NpgsqlDbType.Text, cancellationToken);
            await WriteOrNullAsync(copy, reading.PatientId, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(reading.Vital, NpgsqlDbType.Text, cancellationToken);
            await WriteOrNullAsync(copy, reading.Value, NpgsqlDbType.Double, cancellationToken);
            await WriteOrNullAsync(copy, reading.Components is { } components ? JsonSerializer.Serialize(components) : null, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(reading.Unit, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(reading.DeviceTime.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(reading.ReceivedTime.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken);
            await WriteOrNullAsync(copy, reading.Sequence, NpgsqlDbType.Bigint, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static Task WriteOrNullAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);

    private static Task WriteOrNullAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } known ? copy.WriteAsync(known, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static async Task<HashSet<ReadingKey>> InsertReturningKeysAsync(NpgsqlConnection writer, CancellationToken cancellationToken)
    {
        await using var command = writer.CreateCommand();
        command.CommandText = InsertFromIncoming + " RETURNING device_id, patient_id, vital, device_time;";
        var keys = new HashSet<ReadingKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ReadingKey(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return keys;
    }

    // The reading the store holds under the same key as one it did not insert (null if it cannot be found).
    private static async Task<Reading?> StoredAsync(NpgsqlConnection writer, Reading reading, CancellationToken cancellationToken)
    {
        await using var query = writer.CreateCommand();
        query.CommandText = reading.PatientId is null
            ? "SELECT value, components, unit FROM readings WHERE patient_id IS NULL AND device_id = @device AND vital = @vital AND device_time = @time;"
            : "SELECT value, components, unit FROM readings WHERE patient_id = @patient AND device_id = @device AND vital = @vital AND device_time = @time;";
        if (reading.PatientId is { } patient)
        {
            query.AddParameter("@patient", patient);
        }

        query.AddParameter("@device", reading.DeviceId);
        query.AddParameter("@vital", reading.Vital);
        query.AddParameter("@time", reading.DeviceTime.ToUnixTimeMilliseconds());
        await using var row = await query.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken))
        {
            return null;
        }

        return reading with
        {
            Value = row.IsDBNull(0) ? null : row.GetDouble(0),
            Components = row.IsDBNull(1) ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(row.GetString(1)),
            Unit = row.GetString(2),
        };
    }

    private async Task WriteDeadLettersAsync(NpgsqlConnection writer, IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        foreach (var letter in letters)
        {
            await using var insert = writer.CreateCommand();
            insert.CommandText = """
                INSERT INTO dead_letters (received_at, channel, device_id, item_index, reason, raw, refused_topic)
                VALUES (@received, @channel, @device, @index, @reason, @raw, @topic);
                """;
            insert.AddParameter("@received", letter.ReceivedAt.ToUnixTimeMilliseconds());
            insert.AddParameter("@channel", letter.Channel);
            insert.AddParameter("@device", letter.DeviceId);
            insert.AddParameter("@index", letter.ItemIndex is { } index ? (long)index : null);
            insert.AddParameter("@reason", letter.Reason);
            insert.AddParameter("@raw", protector.Protect(letter.Raw, FieldProtector.DeadLetterPayload));
            insert.AddParameter("@topic", letter.RefusedTopic);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // What makes two readings the same measurement (the key of ux_readings_measurement and ux_readings_unattributed).
    private readonly record struct ReadingKey(string DeviceId, string? PatientId, string Vital, long DeviceTime)
    {
        public static ReadingKey Of(Reading reading) => new(reading.DeviceId, reading.PatientId, reading.Vital, reading.DeviceTime.ToUnixTimeMilliseconds());
    }
}
