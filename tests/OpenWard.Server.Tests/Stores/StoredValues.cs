using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Rows as they lie in a store's tables, read and written with plain SQL around the stores: for what a store
/// promises beyond what it reads back (a sealed column, who made a change), and for rows as an older OpenWard
/// or another feature would have written them.
/// </summary>
public static class StoredValues
{
    /// <summary>The first column of the first row <paramref name="query"/> answers (null for SQL NULL), read on the store's own read connection.</summary>
    public static async Task<object?> ScalarAsync(ClinicalDatabase database, string query, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        var scalar = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return scalar is DBNull ? null : scalar;
    }

    /// <summary>The first column of every row <paramref name="query"/> answers, in its order.</summary>
    public static async Task<List<T>> ColumnAsync<T>(ClinicalDatabase database, string query)
    {
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    /// <summary>Runs <paramref name="statement"/> as one write, through the store's write path.</summary>
    public static Task ExecuteAsync(ClinicalDatabase database, string statement, params (string Name, object? Value)[] parameters) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            foreach (var (name, value) in parameters)
            {
                command.AddParameter(name, value);
            }

            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);
}
