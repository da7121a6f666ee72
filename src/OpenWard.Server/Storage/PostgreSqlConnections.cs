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
/// </summary>
public static class PostgreSqlConnections
{
    /// <summary>Connections a node's write pool, and its read pool, open at most by default.</summary>
    public const int ClinicalPoolSize = 10;

    /// <summary>Connections Orleans' membership and reminder tables open at most by default.</summary>
    public const int OrleansPoolSize = 4;

    /// <summary>The connection string for one of a node's pools.</summary>
    public static NpgsqlConnectionStringBuilder For(string connectionString, string applicationName, int poolSize)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = applicationName;
        }

        if (!SetsPoolSize(connectionString))
        {
            settings.MaxPoolSize = poolSize;
        }

        return settings;
    }

    // Whether the operator chose the pools' size in the connection string (any of Npgsql's spellings).
    private static bool SetsPoolSize(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())
            .Any(key => key is "maximumpoolsize" or "maxpoolsize");
}
