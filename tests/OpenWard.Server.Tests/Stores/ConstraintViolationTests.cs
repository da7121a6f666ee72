using System.Data.Common;
using OpenWard.Server.Audit;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>A write that breaks a table's constraint is recognised as such on both engines, so that a store can answer it with a reason.</summary>
public sealed class ConstraintViolationTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ADuplicateKey_IsAConstraintViolation(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, AuditSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        const string insert = "INSERT INTO audit_log (seq, at, actor, action, source, outcome, previous_hash, hash) VALUES (1, 0, 'a', 'b', 'c', 'd', 'e', 'f');";
        await store.Database.WriteAsync(connection => ExecuteAsync(connection, insert), ct);

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => store.Database.WriteAsync(connection => ExecuteAsync(connection, insert), ct));

        Assert.True(refused.IsConstraintViolation(), refused.Message);
    }

    private static async Task ExecuteAsync(DbConnection connection, string statement)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = statement;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
