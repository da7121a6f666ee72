using System.Globalization;
using OpenWard.Server.Readings;
using OpenWard.Server.Storage;

namespace OpenWard.Server.DeadLetters;

/// <summary>Reads the dead-letter store, newest first.</summary>
public sealed class DeadLetterQueries(ClinicalDatabase database, Protection.FieldProtector protector)
{
    /// <summary>A page of dead letters, optionally of one device; the cursor is the id to continue below.</summary>
    public async Task<(IReadOnlyList<DeadLetter> Items, string? Next)> PageAsync(string? deviceId, int limit, long? before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        // The device's condition only when there is one: PostgreSQL cannot tell the type of a parameter that is only compared with NULL.
        var ofDevice = deviceId is null ? "" : "device_id = @device AND ";
        query.CommandText = $"""
            SELECT id, received_at, channel, device_id, item_index, reason, raw, refused_topic FROM dead_letters
            WHERE {ofDevice}id < @before
            ORDER BY id DESC
            LIMIT @limit;
            """;
        if (deviceId is not null)
        {
            query.AddParameter("@device", deviceId);
        }

        query.AddParameter("@before", before ?? long.MaxValue);
        query.AddParameter("@limit", limit + 1);
        var items = new List<DeadLetter>();
        string? next = null;
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                next = items[^1].Id.ToString(CultureInfo.InvariantCulture);
                break;
            }

            items.Add(new DeadLetter
            {
                Id = reader.GetInt64(0),
                ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Channel = reader.GetString(2),
                DeviceId = reader.GetString(3),
                ItemIndex = reader.IsDBNull(4) ? null : reader.GetInt32(4),
                Reason = reader.GetString(5),
                Raw = protector.Unprotect(reader.GetString(6), Protection.FieldProtector.DeadLetterPayload)!,
                RefusedTopic = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }

        return (items, next);
    }

    /// <summary>How many publishes on another device's topic each device has made (every one is dead-lettered); devices with none are left out.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RefusedTopicCountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT device_id, COUNT(*) FROM dead_letters WHERE refused_topic IS NOT NULL GROUP BY device_id;";
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
