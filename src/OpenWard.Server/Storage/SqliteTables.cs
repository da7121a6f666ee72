using Microsoft.Data.Sqlite;

namespace OpenWard.Server.Storage;

/// <summary>What a migration may ask of the SQLite store about its tables.</summary>
public static class SqliteTables
{
    /// <summary>Whether the table exists.</summary>
    public static async Task<bool> ExistsAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $table);";
        query.Parameters.AddWithValue("$table", table);
        return Convert.ToInt64(await query.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>Whether the table has this column.</summary>
    public static async Task<bool> HasColumnAsync(SqliteConnection connection, string table, string column, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT count(*) FROM pragma_table_info($table) WHERE name = $column;";
        query.Parameters.AddWithValue("$table", table);
        query.Parameters.AddWithValue("$column", column);
        return Convert.ToInt64(await query.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>Runs SQL statements.</summary>
    public static async Task ExecuteAsync(SqliteConnection connection, string statements, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = statements;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
