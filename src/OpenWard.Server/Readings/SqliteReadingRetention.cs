using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>
/// The retention period on SQLite (<see cref="ReadingRetentionOptions"/>): every hour, readings whose
/// device time is past it are deleted, a few thousand per transaction so that the group commit's turn
/// to write is never held long. Readings are stored in arrival order, so the old ones are found
/// first; the newest of them is looked up on a read connection, outside the turn.
/// </summary>
public sealed class SqliteReadingRetention(ClinicalDatabase database, IOptions<ReadingRetentionOptions> retention, TimeProvider clock, ILogger<SqliteReadingRetention> logger)
    : PeriodicCheck(Period, clock, logger)
{
    /// <summary>How often old readings are deleted.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    private const int ReadingsPerTransaction = 5_000;

    /// <inheritdoc />
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (retention.Value.Readings is not { } period)
        {
            return;
        }

        var cutoff = Clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)period.TotalMilliseconds;
        long last;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT max(id) FROM readings WHERE device_time < @cutoff;";
            query.AddParameter("@cutoff", cutoff);
            if (await query.ExecuteScalarAsync(cancellationToken) is not long newest)
            {
                return;
            }

            last = newest;
        }

        int deleted;
        do
        {
            deleted = await database.WriteAsync(async connection =>
            {
                await using var delete = connection.CreateCommand();
                delete.CommandText = """
                    DELETE FROM readings WHERE id IN
                        (SELECT id FROM readings WHERE id <= @last AND device_time < @cutoff ORDER BY id LIMIT @limit);
                    """;
                delete.AddParameter("@last", last);
                delete.AddParameter("@cutoff", cutoff);
                delete.AddParameter("@limit", ReadingsPerTransaction);
                return await delete.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        }
        while (deleted == ReadingsPerTransaction);
    }
}
