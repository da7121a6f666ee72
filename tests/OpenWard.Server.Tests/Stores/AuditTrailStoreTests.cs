using OpenWard.Core.Audit;
using OpenWard.Server.Audit;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>The audit trail's store behaves the same on SQLite and on PostgreSQL: the chain, its head, its queries, and read connections that cannot write.</summary>
public sealed class AuditTrailStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Appends_FormOneVerifiableChain_ThatAFreshTrailContinues(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, AuditSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        var trail = new AuditTrail(store.Database, TimeProvider.System);
        await trail.AppendAsync("user:nurse-1", "read-vitals", "patient-1", "api", "allowed", ct);
        await trail.AppendAsync("client:ehr", "list-patients", null, "api", "allowed", ct);
        await trail.AppendAsync("user:nurse-2", "read-vitals", "patient-2", "api", "denied", ct);

        // As after a restart: the new trail finds the head in the store.
        var restarted = new AuditTrail(store.Database, TimeProvider.System);
        await restarted.AppendAsync("user:nurse-1", "read-notes", "patient-1", "api", "allowed", ct);

        var records = (await new AuditQueries(store.Database).ReadAsync(null, 100, ct)).Reverse().ToList();
        Assert.Equal([1L, 2, 3, 4], records.Select(r => r.Sequence));
        Assert.Null(AuditChain.Verify(records));
        var (headSequence, headHash) = await restarted.HeadAsync(ct);
        Assert.Equal((4L, records[^1].Hash), (headSequence, headHash));
        Assert.Equal(records[1].Hash, await trail.HashAtAsync(2, ct));
        Assert.Null(await trail.HashAtAsync(5, ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ManyAppendsAtOnce_FormOneChain(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, AuditSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        var trail = new AuditTrail(store.Database, TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => trail.AppendAsync($"user:nurse-{i}", "read-vitals", $"patient-{i % 4}", "api", "allowed", ct)));

        var records = (await new AuditQueries(store.Database).ReadAsync(null, 100, ct)).Reverse().ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Null(AuditChain.Verify(records));
    }

    [Fact]
    public async Task TwoNodesSharingAPostgreSqlStore_AppendingAtOnce_ExtendOneChain()
    {
        await using var store = await StoreEngine.CreateAsync("postgresql", AuditSchema.Definition);
        await using var otherNode = await store.SecondNodeAsync(AuditSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        var first = new AuditTrail(store.Database, TimeProvider.System);
        var second = new AuditTrail(otherNode, TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? first : second).AppendAsync($"user:nurse-{i}", "read-vitals", null, "api", "allowed", ct)));

        var records = (await new AuditQueries(store.Database).ReadAsync(null, 100, ct)).Reverse().ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Null(AuditChain.Verify(records));
    }

    [Fact]
    public async Task EachNodeAnchorsTheOneChain_WithItsOwnKey_AndEitherNodesAnchorsFindDeletedRecords()
    {
        await using var store = await StoreEngine.CreateAsync("postgresql", AuditSchema.Definition);
        await using var otherNode = await store.SecondNodeAsync(AuditSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        var first = new AuditTrail(store.Database, TimeProvider.System);
        var second = new AuditTrail(otherNode, TimeProvider.System);
        var nodeDirectories = new[] { Directory.CreateDirectory(Path.Combine(store.DataDirectory, "node-a")), Directory.CreateDirectory(Path.Combine(store.DataDirectory, "node-b")) };
        using var firstAnchors = Anchors(first, nodeDirectories[0]);
        using var secondAnchors = Anchors(second, nodeDirectories[1]);

        for (var i = 0; i < 6; i++)
        {
            await (i % 2 == 0 ? first : second).AppendAsync($"user:nurse-{i}", "read-vitals", null, "api", "allowed", ct);
            await (i % 2 == 0 ? firstAnchors : secondAnchors).AnchorAsync(ct);
        }

        await firstAnchors.AnchorAsync(ct);
        await secondAnchors.AnchorAsync(ct);
        Assert.All(nodeDirectories, directory => Assert.Empty(Check(directory).Problems));

        // Someone with the database's keys deletes the latest records: what is left is still a sound chain, which only the anchors tell from the whole.
        await store.Database.WriteAsync(async connection =>
        {
            await using var rewrite = connection.CreateCommand();
            rewrite.CommandText = "DELETE FROM audit_log WHERE seq >= 5;";
            await rewrite.ExecuteNonQueryAsync(ct);
        }, ct);

        Assert.All(nodeDirectories, directory => Assert.NotEmpty(Check(directory).Problems));

        AuditAnchorReport Check(DirectoryInfo directory)
        {
            var records = new AuditQueries(store.Database).ReadAsync(null, 100, ct).GetAwaiter().GetResult().Reverse().ToList();
            using var key = System.Security.Cryptography.ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(Path.Combine(directory.FullName, AuditAnchor.PublicKeyFileName)));
            return AuditAnchorCheck.Check(records, File.ReadAllLines(Path.Combine(directory.FullName, AuditAnchor.FileName)), key);
        }
    }

    // A node's anchors of the shared trail, in its own data directory with its own key.
    private static AuditAnchors Anchors(AuditTrail trail, DirectoryInfo dataDirectory) =>
        new(trail, Microsoft.Extensions.Options.Options.Create(new OpenWard.Server.Hosting.OpenWardOptions { DataDirectory = dataDirectory.FullName }),
            Microsoft.Extensions.Options.Options.Create(new AuditOptions()), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditAnchors>.Instance);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task APatientsRecords_AreReadNewestFirst_WithoutOthers(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, AuditSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        var trail = new AuditTrail(store.Database, TimeProvider.System);
        await trail.AppendAsync("user:nurse-1", "read-vitals", "patient-1", "api", "allowed", ct);
        await trail.AppendAsync("user:nurse-1", "read-vitals", "patient-2", "api", "allowed", ct);
        await trail.AppendAsync("user:nurse-2", "read-notes", "patient-1", "console", "allowed", ct);

        var records = await new AuditQueries(store.Database).ReadAsync("patient-1", 10, ct);

        Assert.Equal(["read-notes", "read-vitals"], records.Select(r => r.Action));
        Assert.All(records, r => Assert.Equal("patient-1", r.PatientId));
        Assert.Single(await new AuditQueries(store.Database).ReadAsync("patient-1", 1, ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AReadConnection_CannotWrite(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, AuditSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await store.Database.OpenAsync(ct);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO audit_log (seq, at, actor, action, source, outcome, previous_hash, hash) VALUES (1, 0, 'a', 'b', 'c', 'd', 'e', 'f');";

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => insert.ExecuteNonQueryAsync(ct));
        Assert.Empty(await new AuditQueries(store.Database).ReadAsync(null, 10, ct));
    }
}
