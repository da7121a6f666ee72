using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using OpenWard.Core.Audit;
using OpenWard.Server.Audit;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

/// <summary>
/// Someone with write access to the database file tampers with the audit trail after OpenWard
/// anchored it (at shutdown); <c>openward audit verify</c> must say so. Each test has its own server,
/// since each ruins its trail.
/// </summary>
public sealed class AuditAnchorTests
{
    [Fact]
    public async Task Verify_AfterTheNewestRecordsAreDeleted_ReportsTheDeletion()
    {
        await using var server = new RunningServer();
        var head = await AnchoredTrailAsync(server);

        await ExecuteAsync(server, $"DELETE FROM audit_log WHERE seq > {head - 2};");
        var verified = await VerifyAsync(server);

        Assert.Equal(1, verified.ExitCode);
        Assert.False(verified.Json.GetProperty("intact").GetBoolean());
        Assert.Contains(verified.Json.GetProperty("anchorProblems").EnumerateArray(), p => p.GetString()!.Contains($"records {head - 1}–", StringComparison.Ordinal)
            && p.GetString()!.Contains("were deleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_AfterEveryRecordIsDeleted_ReportsTheDeletion()
    {
        await using var server = new RunningServer();
        await AnchoredTrailAsync(server);

        await ExecuteAsync(server, "DELETE FROM audit_log;");
        var verified = await VerifyAsync(server);

        Assert.Equal(1, verified.ExitCode);
        Assert.Equal(0, verified.Json.GetProperty("records").GetInt32());
        Assert.Contains(verified.Json.GetProperty("anchorProblems").EnumerateArray(), p => p.GetString()!.Contains("every record was deleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_AfterARecordIsRewrittenAndTheChainRecomputed_ReportsTheRewrite()
    {
        await using var server = new RunningServer();
        var head = await AnchoredTrailAsync(server);

        await RewriteAndRechainAsync(server, head - 1);
        var verified = await VerifyAsync(server);

        Assert.Equal(1, verified.ExitCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, verified.Json.GetProperty("firstBad").ValueKind); // the chain alone no longer shows it
        Assert.Contains(verified.Json.GetProperty("anchorProblems").EnumerateArray(), p => p.GetString()!.Contains("were rewritten", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_WithAnchorsForgedUnderAnotherKey_ReportsTheBadSignatures_AgainstTheOperatorsCopyOfTheKey()
    {
        await using var server = new RunningServer();
        var head = await AnchoredTrailAsync(server);
        var operatorsCopy = Path.Combine(Path.GetTempPath(), $"openward-anchor-key-{Guid.NewGuid():N}.pem");
        File.Copy(Path.Combine(server.DataDirectory, AuditAnchor.PublicKeyFileName), operatorsCopy);
        try
        {
            // The forger rewrites a record, recomputes the chain, and signs fresh anchors with a key of their own.
            var newHead = await RewriteAndRechainAsync(server, head - 1);
            using var forgersKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var forged = AuditAnchor.Sign(null, head, newHead, DateTimeOffset.UtcNow, forgersKey);
            await File.WriteAllTextAsync(Path.Combine(server.DataDirectory, AuditAnchor.FileName), forged.ToLine() + "\n", TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(server.DataDirectory, AuditAnchor.PublicKeyFileName), forgersKey.ExportSubjectPublicKeyInfoPem(), TestContext.Current.CancellationToken);

            var verified = await VerifyAsync(server, "--anchor-key", operatorsCopy);

            Assert.Equal(1, verified.ExitCode);
            Assert.Contains(verified.Json.GetProperty("anchorProblems").EnumerateArray(), p => p.GetString()!.Contains("bad signature", StringComparison.Ordinal));
            Assert.Contains("no trusted anchor", verified.Json.GetProperty("guarantee").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(operatorsCopy);
        }
    }

    [Fact]
    public async Task Verify_OfAnIntactAnchoredTrail_PassesAndSaysWhatTheAnchorCovers()
    {
        await using var server = new RunningServer();
        var head = await AnchoredTrailAsync(server);

        var verified = await VerifyAsync(server);

        Assert.True(verified.ExitCode == 0, verified.Output + verified.Error);
        Assert.True(verified.Json.GetProperty("intact").GetBoolean());
        Assert.True(verified.Json.GetProperty("lastAnchor").GetProperty("sequence").GetInt64() >= head);
        Assert.Contains($"records 1–", verified.Json.GetProperty("guarantee").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FindsTheAnchorsWhereTheServerWasToldToPutThem_AndWarnsOfAKeyBesideTheDatabase()
    {
        var elsewhere = Path.Combine(Path.GetTempPath(), $"openward-anchors-{Guid.NewGuid():N}.jsonl");
        await using var server = new AnchorsElsewhere(elsewhere);
        try
        {
            var head = await AnchoredTrailAsync(server);

            var verified = await CliProcess.RunWithEnvironmentAsync(
                new Dictionary<string, string> { ["OpenWard__Audit__AnchorFile"] = elsewhere },
                "audit", "verify", "--data", server.DataDirectory);

            Assert.True(verified.ExitCode == 0, verified.Output + verified.Error);
            Assert.Equal(elsewhere, verified.Json.GetProperty("anchorFile").GetString());
            Assert.True(verified.Json.GetProperty("lastAnchor").GetProperty("sequence").GetInt64() >= head);
            Assert.Contains("--anchor-key", verified.Json.GetProperty("anchorKeyWarning").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(elsewhere);
        }
    }

    private sealed class AnchorsElsewhere(string anchorFile) : RunningServer
    {
        protected override IEnumerable<string> ExtraArguments => [$"--OpenWard:Audit:AnchorFile={anchorFile}"];
    }

    // Starts the server, reads a patient's record, and restarts it: the shutdown anchors the trail.
    private static async Task<long> AnchoredTrailAsync(RunningServer server)
    {
        await server.InitializeAsync();
        var patientId = await server.AddPatientAsync();
        await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest");
        await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest");
        var head = Convert.ToInt64(await ScalarAsync(server, "SELECT max(seq) FROM audit_log;"), System.Globalization.CultureInfo.InvariantCulture);
        await server.RestartAsync();
        return head;
    }

    // Changes who made record `sequence`, then recomputes every hash from there on; returns the new head's hash.
    private static async Task<string> RewriteAndRechainAsync(RunningServer server, long sequence)
    {
        await using var connection = await OpenAsync(server);
        var records = new List<AuditRecord>();
        await using (var query = connection.CreateCommand())
        {
            query.CommandText = $"SELECT {AuditRows.Columns} FROM audit_log ORDER BY seq;";
            await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                records.Add(AuditRows.Read(reader));
            }
        }

        var previous = records.Single(r => r.Sequence == sequence - 1).Hash;
        foreach (var record in records.Where(r => r.Sequence >= sequence))
        {
            var actor = record.Sequence == sequence ? "client:nobody" : record.Actor;
            var hash = AuditChain.HashOf(record.Sequence, record.At, actor, record.Action, record.PatientId, record.Source, record.Outcome, previous);
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE audit_log SET actor = $actor, previous_hash = $previous, hash = $hash WHERE seq = $seq;";
            update.Parameters.AddWithValue("$actor", actor);
            update.Parameters.AddWithValue("$previous", previous);
            update.Parameters.AddWithValue("$hash", hash);
            update.Parameters.AddWithValue("$seq", record.Sequence);
            await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            previous = hash;
        }

        return previous;
    }

    private static Task<CliProcess.Outcome> VerifyAsync(RunningServer server, params string[] args) =>
        CliProcess.RunAsync(["audit", "verify", "--data", server.DataDirectory, .. args]);

    private static async Task<SqliteConnection> OpenAsync(RunningServer server)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "openward.db")};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(RunningServer server, string sql)
    {
        await using var connection = await OpenAsync(server);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<object?> ScalarAsync(RunningServer server, string sql)
    {
        await using var connection = await OpenAsync(server);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
