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
        const string insert = "INSERT INTO audit_log (seq, at, actor, action, source, outcome, previous_hash, hash) VALUES (1, 0, 'a', 'b', 'c', 'd', 'e', 'f');";
        await StoredValues.ExecuteAsync(store.Database, insert);

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => StoredValues.ExecuteAsync(store.Database, insert));

        Assert.True(refused.IsConstraintViolation(), refused.Message);
    }
}
