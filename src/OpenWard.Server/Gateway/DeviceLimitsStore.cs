using System.Data.Common;
using System.Text;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Gateway;

/// <summary>
/// What the nodes of a cluster count together against devices' sign-ins (<see cref="DeviceLimitsSchema"/>):
/// failed sign-ins per device id and address and per device id, each counted by one statement so that
/// failures on several nodes at once all count, and the connections and uploads taken from each address
/// in the current minute. Times are Unix milliseconds by the clock of the node that counted.
/// </summary>
public sealed class DeviceLimitsStore(ClinicalDatabase database)
{
    // Addresses per statement when the takes of a round are added (four parameters' worth each is well under both engines' limits).
    private const int AddressesPerStatement = 200;

    /// <summary>
    /// Counts one failed sign-in of <paramref name="deviceId"/> from <paramref name="address"/> at
    /// <paramref name="at"/>: the pair starts afresh after <paramref name="pairWindow"/> without a
    /// failure, the device id after <paramref name="deviceWindow"/>. Returns both counts, every node's failures included.
    /// </summary>
    public Task<(int Pair, int Device)> RecordFailureAsync(
        string deviceId, string address, DateTimeOffset at, TimeSpan pairWindow, TimeSpan deviceWindow, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var pair = await CountAsync(connection, """
                INSERT INTO device_sign_in_failures (device_id, address, failures, last_failure_at) VALUES (@device, @address, 1, @at)
                ON CONFLICT (device_id, address) DO UPDATE SET
                    failures = CASE WHEN device_sign_in_failures.last_failure_at < @fresh THEN 1 ELSE device_sign_in_failures.failures + 1 END,
                    last_failure_at = CASE WHEN device_sign_in_failures.last_failure_at > @at THEN device_sign_in_failures.last_failure_at ELSE @at END
                RETURNING failures;
                """, deviceId, address, at, at - pairWindow, cancellationToken);
            var device = await CountAsync(connection, """
                INSERT INTO device_id_failures (device_id, failures, last_failure_at) VALUES (@device, 1, @at)
                ON CONFLICT (device_id) DO UPDATE SET
                    failures = CASE WHEN device_id_failures.last_failure_at < @fresh THEN 1 ELSE device_id_failures.failures + 1 END,
                    last_failure_at = CASE WHEN device_id_failures.last_failure_at > @at THEN device_id_failures.last_failure_at ELSE @at END
                RETURNING failures;
                """, deviceId, address: null, at, at - deviceWindow, cancellationToken);
            return (pair, device);
        }, cancellationToken);

    /// <summary>Forgets the failures of the device id from the address (it signed in there with the right secret).</summary>
    public Task ForgetPairAsync(string deviceId, string address, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM device_sign_in_failures WHERE device_id = @device AND address = @address;";
            delete.AddParameter("@device", deviceId);
            delete.AddParameter("@address", address);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>The failures of the device id from each address, as every node counted them.</summary>
    public Task<IReadOnlyList<PairFailures>> FailuresOfAsync(string deviceId, CancellationToken cancellationToken) =>
        ReadFailuresAsync("device_id = @device", "@device", deviceId, cancellationToken);

    /// <summary>Every pair that failed at or after <paramref name="since"/>.</summary>
    public Task<IReadOnlyList<PairFailures>> FailuresSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        ReadFailuresAsync("last_failure_at >= @since", "@since", since.ToUnixTimeMilliseconds(), cancellationToken);

    /// <summary>
    /// Adds what this node took from each address since its last round to the address's count for the
    /// minute <paramref name="minute"/> (Unix minutes), and returns each address's count as it now
    /// stands, with its minute: what every node has taken from it in that minute. A count of an earlier
    /// minute starts afresh; one of a later minute (a node whose clock is ahead) is added to.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, AddressCount>> AddTakesAsync(
        IReadOnlyCollection<KeyValuePair<string, long>> takes, long minute, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, AddressCount>(StringComparer.Ordinal);
        // One order on every node: two nodes adding to the same addresses at once then wait on each other's rows, never deadlock.
        foreach (var chunk in takes.OrderBy(take => take.Key, StringComparer.Ordinal).Chunk(AddressesPerStatement))
        {
            await database.WriteAsync(async connection =>
            {
                await using var upsert = connection.CreateCommand();
                var values = new StringBuilder();
                for (var i = 0; i < chunk.Length; i++)
                {
                    values.Append(i == 0 ? "" : ", ").Append($"(@address{i}, @minute, @taken{i})");
                    upsert.AddParameter($"@address{i}", chunk[i].Key);
                    upsert.AddParameter($"@taken{i}", chunk[i].Value);
                }

                upsert.AddParameter("@minute", minute);
                upsert.CommandText = $"""
                    INSERT INTO address_requests (address, minute, taken) VALUES {values}
                    ON CONFLICT (address) DO UPDATE SET
                        taken = CASE WHEN address_requests.minute >= excluded.minute THEN address_requests.taken + excluded.taken ELSE excluded.taken END,
                        minute = CASE WHEN address_requests.minute >= excluded.minute THEN address_requests.minute ELSE excluded.minute END
                    RETURNING address, minute, taken;
                    """;
                await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    counts[reader.GetString(0)] = new AddressCount(reader.GetInt64(1), reader.GetInt64(2));
                }
            }, cancellationToken);
        }

        return counts;
    }

    /// <summary>Deletes what no longer counts: pairs and device ids quiet since their cut-offs, addresses idle since theirs.</summary>
    public Task ForgetStaleAsync(DateTimeOffset pairsBefore, DateTimeOffset devicesBefore, long addressesBeforeMinute, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            foreach (var (table, column, before) in new[]
            {
                ("device_sign_in_failures", "last_failure_at", pairsBefore.ToUnixTimeMilliseconds()),
                ("device_id_failures", "last_failure_at", devicesBefore.ToUnixTimeMilliseconds()),
                ("address_requests", "minute", addressesBeforeMinute),
            })
            {
                await using var delete = connection.CreateCommand();
                delete.CommandText = $"DELETE FROM {table} WHERE {column} < @before;";
                delete.AddParameter("@before", before);
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);

    private static async Task<int> CountAsync(
        DbConnection connection, string sql, string deviceId, string? address, DateTimeOffset at, DateTimeOffset fresh, CancellationToken cancellationToken)
    {
        await using var upsert = connection.CreateCommand();
        upsert.CommandText = sql;
        upsert.AddParameter("@device", deviceId);
        if (address is not null)
        {
            upsert.AddParameter("@address", address);
        }

        upsert.AddParameter("@at", at.ToUnixTimeMilliseconds());
        upsert.AddParameter("@fresh", fresh.ToUnixTimeMilliseconds());
        return (int)Math.Min(int.MaxValue, Convert.ToInt64(await upsert.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<IReadOnlyList<PairFailures>> ReadFailuresAsync(string condition, string name, object value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT device_id, address, failures, last_failure_at FROM device_sign_in_failures WHERE {condition};";
        query.AddParameter(name, value);
        var failures = new List<PairFailures>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            failures.Add(new PairFailures(reader.GetString(0), reader.GetString(1), (int)Math.Min(int.MaxValue, reader.GetInt64(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return failures;
    }
}
