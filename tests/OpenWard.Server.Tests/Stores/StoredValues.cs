using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>What a store wrote, as it lies in its table: for what a store promises beyond what it reads back (a sealed column, who made a change).</summary>
public static class StoredValues
{
    /// <summary>The first column of the first row <paramref name="query"/> answers, read on the store's own read connection.</summary>
    public static async Task<object?> ScalarAsync(ClinicalDatabase database, string query, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
