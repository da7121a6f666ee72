using Microsoft.Data.Sqlite;

namespace OpenWard.Server.Storage;

/// <summary>
/// One numbered change to a feature's tables in the SQLite store. Numbers count per feature from 1;
/// each runs once, in order, in a transaction with the record of it in <c>schema_migrations</c>.
/// </summary>
public sealed record SchemaMigration(int Number, string Description, Func<SqliteConnection, CancellationToken, Task> ApplyAsync)
{
    /// <summary>A migration that runs these SQL statements.</summary>
    public static SchemaMigration Sql(int number, string description, string statements) =>
        new(number, description, (connection, cancellationToken) => SqliteTables.ExecuteAsync(connection, statements, cancellationToken));
}
