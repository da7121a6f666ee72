using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Readings;

/// <summary>
/// The readings' daily partitions on PostgreSQL (one table per UTC day of device time, named
/// <c>readings_yyyymmdd</c>): at start, before any device is heard, and every hour, attaches those
/// from yesterday to <see cref="DaysAhead"/> days ahead that are missing, and with a retention period
/// (<see cref="ReadingRetentionOptions"/>) drops the days wholly past it and deletes the same readings
/// from <c>readings_other</c>. Every node runs it: each round takes an advisory lock, so nodes take
/// turns and the second finds the work done. Catalogue changes wait at most
/// <see cref="LockWait"/> for the readings table, so that queries are never held up long; a change
/// that could not wait is tried again at the next round (days ahead leave room for that).
/// </summary>
public sealed partial class ReadingPartitions(
    PostgreSqlClinicalDatabase database, IOptions<ReadingRetentionOptions> retention, TimeProvider clock, ILogger<ReadingPartitions> logger)
    : PeriodicCheck(Period, clock, logger)
{
    /// <summary>How often partitions are checked.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    /// <summary>How many days ahead partitions are ready.</summary>
    public const int DaysAhead = 7;

    /// <summary>The longest a change to the partitions waits for the readings table.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(2);

    private const long DayMs = 86_400_000;

    // Any fixed number, the same in every OpenWard node, other than the schema migrations' lock.
    private const long PartitionLock = 0x4F57526561646E67;

    private readonly ILogger<ReadingPartitions> logger = logger;

    /// <summary>Attaches the partitions due before anything is written; the hourly rounds follow.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await CheckAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task CheckAsync(CancellationToken cancellationToken)
    {
        var today = Clock.GetUtcNow().ToUnixTimeMilliseconds() / DayMs * DayMs;
        await using var connection = await database.Writable.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PartitionLock}); SET LOCAL lock_timeout = '{(int)LockWait.TotalMilliseconds}ms';", cancellationToken);
        var existing = await PartitionDaysAsync(connection, cancellationToken);

        for (var day = today - DayMs; day <= today + DaysAhead * DayMs; day += DayMs)
        {
            if (!existing.Contains(day))
            {
                await ChangeAsync(connection, $"""
                    CREATE TABLE {Name(day)} (LIKE readings INCLUDING DEFAULTS);
                    ALTER TABLE readings ATTACH PARTITION {Name(day)} FOR VALUES FROM ({day}) TO ({day + DayMs});
                    """, cancellationToken);
            }
        }

        if (retention.Value.Readings is { } period)
        {
            var cutoff = Clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)period.TotalMilliseconds;
            foreach (var day in existing.Where(day => day + DayMs <= cutoff))
            {
                await ChangeAsync(connection, $"DROP TABLE {Name(day)};", cancellationToken);
                LogDropped(logger, Name(day));
            }

            await ExecuteAsync(connection, $"DELETE FROM readings_other WHERE device_time < {cutoff};", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The partition of the UTC day that starts at <paramref name="day"/> (Unix ms).</summary>
    public static string Name(long day) =>
        "readings_" + DateTimeOffset.FromUnixTimeMilliseconds(day).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static async Task<HashSet<long>> PartitionDaysAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'readings'::regclass;
            """;
        var days = new HashSet<long>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (DateTimeOffset.TryParseExact(reader.GetString(0).Replace("readings_", "", StringComparison.Ordinal), "yyyyMMdd",
                    CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day))
            {
                days.Add(day.ToUnixTimeMilliseconds());
            }
        }

        return days;
    }

    // One change to the catalogue, undone on its own (a savepoint) if the readings table stayed busy.
    private async Task ChangeAsync(NpgsqlConnection connection, string statements, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "SAVEPOINT partition_change;", cancellationToken);
        try
        {
            await ExecuteAsync(connection, statements, cancellationToken);
            await ExecuteAsync(connection, "RELEASE SAVEPOINT partition_change;", cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT partition_change;", cancellationToken);
            LogBusy(logger);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            // readings_other already holds readings of that day: they stay there, and so do the day's next ones.
            await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT partition_change;", cancellationToken);
            LogDayInOther(logger);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string statements, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = statements;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Readings partition {Partition} dropped: its day is past the retention period")]
    private static partial void LogDropped(ILogger logger, string partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A day's partition was not attached: readings_other already holds readings of that day, and keeps them")]
    private static partial void LogDayInOther(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The readings table stayed busy; a partition change waits for the next round")]
    private static partial void LogBusy(ILogger logger);
}
