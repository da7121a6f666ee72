using Microsoft.Data.Sqlite;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>
/// The group commit's writes on SQLite: on the writer's own connection, whose statements are prepared
/// once (<see cref="ReadingInsert"/> steps the reading insert through SQLite's C API), in this
/// process's turn to write.
/// </summary>
public sealed class SqliteReadingWriter(SqliteClinicalDatabase database, FieldProtector protector) : ReadingBatchWriter
{
    private SqliteConnection? connection;
    private ReadingInsert? insertReading;
    private SqliteCommand? insertDeadLetter;
    private SqliteParameter[] d = [];

    /// <inheritdoc />
    public override async Task<CommitResult[]> WriteAsync(Func<IReadOnlyList<CommitRequest>> takeBatch, CancellationToken cancellationToken)
    {
        if (connection is null)
        {
            await OpenAsync(cancellationToken);
        }

        return await database.WriteOnAsync(connection!, transaction => Write(transaction, takeBatch()), cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        insertReading?.Dispose();
        insertReading = null;
        if (insertDeadLetter is not null)
        {
            await insertDeadLetter.DisposeAsync();
            insertDeadLetter = null;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        connection = await database.OpenWriterAsync(cancellationToken);
        insertReading = new ReadingInsert(connection);
        insertDeadLetter = connection.CreateCommand();
        insertDeadLetter.CommandText = """
            INSERT INTO dead_letters (received_at, channel, device_id, item_index, reason, raw, refused_topic)
            VALUES ($received, $channel, $device, $index, $reason, $raw, $topic);
            """;
        d = [.. new[] { "$received", "$channel", "$device", "$index", "$reason", "$raw", "$topic" }.Select(name => insertDeadLetter.Parameters.Add(new SqliteParameter { ParameterName = name }))];
    }

    private CommitResult[] Write(SqliteTransaction transaction, IReadOnlyList<CommitRequest> batch)
    {
        insertDeadLetter!.Transaction = transaction;
        var results = new CommitResult[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i];
            var stored = new bool[request.Readings.Count];
            var conflicts = new string?[request.Readings.Count];
            for (var j = 0; j < request.Readings.Count; j++)
            {
                stored[j] = insertReading!.Insert(request.Readings[j]);
                if (!stored[j])
                {
                    conflicts[j] = insertReading.Conflict(request.Readings[j]);
                }
            }

            foreach (var letter in request.DeadLetters)
            {
                d[0].Value = letter.ReceivedAt.ToUnixTimeMilliseconds();
                d[1].Value = letter.Channel;
                d[2].Value = letter.DeviceId;
                d[3].Value = letter.ItemIndex is { } index ? index : DBNull.Value;
                d[4].Value = letter.Reason;
                d[5].Value = protector.Protect(letter.Raw, FieldProtector.DeadLetterPayload);
                d[6].Value = letter.RefusedTopic is { } topic ? topic : DBNull.Value;
                insertDeadLetter.ExecuteNonQuery();
            }

            results[i] = new CommitResult(stored, conflicts);
        }

        return results;
    }
}
