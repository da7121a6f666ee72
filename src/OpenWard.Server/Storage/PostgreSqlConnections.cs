using System.Data.Common;
using Npgsql;

namespace OpenWard.Server.Storage;

/// <summary>
/// The connection strings a node opens PostgreSQL with: named, so that an operator can tell its
/// connections apart in <c>pg_stat_activity</c>, and each pool bounded unless the operator's
/// connection string says otherwise. Several nodes share one server's <c>max_connections</c> (100 by
/// default): each node opens at most <see cref="ClinicalPoolSize"/> for writes, as many for reads,
/// <see cref="OrleansPoolSize"/> for the cluster's membership and reminders, and one to listen for
/// signals. A burst of work beyond a bound waits for a connection rather than being refused one.
/// A string that lists a primary and its standby (several hosts) has the servers' roles checked again
/// after <see cref="HostRecheckSeconds"/> unless it says otherwise, so that a node finds a promoted
/// standby about a second after the promotion rather than Npgsql's default ten.
/// </summary>
public static class PostgreSqlConnections
{
    /// <summary>Connections a node's write pool, and its read pool, open at most by default.</summary>
    public const int ClinicalPoolSize = 10;

    /// <summary>Connections Orleans' membership and reminder tables open at most by default.</summary>
    public const int OrleansPoolSize = 4;

    /// <summary>Seconds after which Npgsql asks the listed servers again which is the primary, by default.</summary>
    public const int HostRecheckSeconds = 1;

    /// <summary>The connection string for one of a node's pools.</summary>
    public static NpgsqlConnectionStringBuilder For(string connectionString, string applicationName, int poolSize)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = applicationName;
        }

        var chosen = Keywords(connectionString);
        if (!chosen.Overlaps(["maximumpoolsize", "maxpoolsize"]))
        {
            settings.MaxPoolSize = poolSize;
        }

        if (settings.Host?.Contains(',', StringComparison.Ordinal) == true && !chosen.Overlaps(["hostrecheckseconds"]))
        {
            settings.HostRecheckSeconds = HostRecheckSeconds;
        }

        return settings;
    }

    // The settings the operator's connection string names, spaces and case aside (Npgsql accepts several spellings).
    private static HashSet<string> Keywords(string connectionString) =>
        [.. new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())];
}
