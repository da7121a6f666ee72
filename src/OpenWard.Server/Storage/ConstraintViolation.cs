using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OpenWard.Server.Storage;

/// <summary>Recognises, for the stores, a write the database refused because it broke a table's constraint.</summary>
public static class ConstraintViolation
{
    /// <summary>Whether <paramref name="exception"/> is a refused write that broke a uniqueness or other constraint.</summary>
    public static bool IsConstraintViolation(this DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19 }
        || (exception is Npgsql.PostgresException postgres && postgres.SqlState.StartsWith("23", StringComparison.Ordinal)); // class 23: integrity constraint violation
}
