using System.CommandLine;
using System.Data;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OpenWard.Core.Audit;

namespace OpenWard.Cli.Commands;

/// <summary>
/// <c>openward audit verify</c>: reads the audit trail straight from the server's database file
/// (read-only, so it works with the server stopped and trusts nothing the server says), checks its
/// hash chain, naming the first edited, removed, inserted or reordered record, and checks it against
/// the signed anchors kept outside the database: records deleted or rewritten after an anchor covered
/// them, and forged or removed anchors, are reported with the reason. It says what the check vouches for.
/// </summary>
public static class AuditCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var anchors = new Option<string?>("--anchors") { Description = $"The anchor file (default DATA/{AuditAnchor.FileName}, or where OpenWard:Audit:AnchorFile puts it)" };
        var anchorKey = new Option<string?>("--anchor-key")
        {
            Description = $"The anchor key's public half (PEM); best a copy kept away from the server (default DATA/{AuditAnchor.PublicKeyFileName})",
        };
        var verify = new Command("verify", "Check the audit trail in DATA/openward.db: its hash chain and its signed anchors; exit status 1 says what is wrong")
        {
            anchors, anchorKey,
        };
        verify.SetAction(async (parse, ct) =>
        {
            var data = parse.GetValue(GlobalOptions.Data) ?? "data";
            var file = Path.Combine(data, "openward.db");
            if (!File.Exists(file))
            {
                Console.Error.WriteLine($"openward: no database at {file} (give the server's data directory with --data)");
                return 1;
            }

            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync(ct);
            var records = await ReadAsync(connection, ct);
            var broken = AuditChain.Verify(records);
            var anchorFile = Path.Combine(data, parse.GetValue(anchors) ?? ConfiguredAnchorFile() ?? AuditAnchor.FileName);
            var keyGiven = parse.GetValue(anchorKey);
            using var key = LoadPublicKey(keyGiven ?? Path.Combine(data, AuditAnchor.PublicKeyFileName));
            var report = AuditAnchorCheck.Check(records, File.Exists(anchorFile) ? await File.ReadAllLinesAsync(anchorFile, ct) : [], key);
            var intact = broken is null && report.Problems.Count == 0;
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                records = records.Count,
                intact,
                firstBad = broken?.Sequence,
                problem = broken?.Problem ?? report.Problems.FirstOrDefault(),
                anchors = report.Anchors,
                lastAnchor = report.Last is { } last ? new { anchor = last.Number, sequence = last.Sequence, at = last.At } : null,
                anchorFile,
                anchorKey = key is null ? null : AuditAnchor.KeyIdOf(key),
                anchorKeyWarning = key is not null && keyGiven is null ? KeyBesideTheDatabase : null,
                anchorProblems = report.Problems,
                guarantee = report.Guarantee,
            }));
            return intact ? 0 : 1;
        });
        return new Command("audit", "The audit trail") { verify };
    }

    private const string KeyBesideTheDatabase =
        "the anchor key's public half was read from the data directory: whoever can rewrite the database there can replace it too; "
        + "give --anchor-key with a copy kept elsewhere for a check that holds against them";

    /// <summary>Where the server was told to write its anchors (<c>OpenWard:Audit:AnchorFile</c> in its environment), if anywhere.</summary>
    private static string? ConfiguredAnchorFile() =>
        Environment.GetEnvironmentVariable("OpenWard__Audit__AnchorFile") is { Length: > 0 } configured ? configured : null;

    private static ECDsa? LoadPublicKey(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }

    // The CLI reads the database file without the server's code (it does not reference the server), so it
    // states the stored columns and how a row reads itself; they are those of the server's Audit/AuditRows.
    private const string AuditColumns = "seq, at, actor, action, patient_id, source, outcome, previous_hash, hash";

    private static AuditRecord ReadRecord(IDataRecord row) => new()
    {
        Sequence = row.GetInt64(0),
        At = DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)),
        Actor = row.GetString(2),
        Action = row.GetString(3),
        PatientId = row.IsDBNull(4) ? null : row.GetString(4),
        Source = row.GetString(5),
        Outcome = row.GetString(6),
        PreviousHash = row.GetString(7),
        Hash = row.GetString(8),
    };

    private static async Task<List<AuditRecord>> ReadAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {AuditColumns} FROM audit_log ORDER BY seq;";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }
}
