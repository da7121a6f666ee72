using System.CommandLine;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OpenWard.Core.Audit;

namespace OpenWard.Cli.Commands;

/// <summary>
/// <c>openward audit verify</c>: reads the audit trail straight from the server's database file
/// (read-only, so it works with the server stopped and trusts nothing the server says) and checks
/// its hash chain, naming the first edited, removed, inserted or reordered record.
/// </summary>
public static class AuditCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var verify = new Command("verify", "Check the audit trail's hash chain in DATA/openward.db; exit status 1 names the first bad record");
        verify.SetAction(async (parse, ct) =>
        {
            var file = Path.Combine(parse.GetValue(GlobalOptions.Data) ?? "data", "openward.db");
            if (!File.Exists(file))
            {
                Console.Error.WriteLine($"openward: no database at {file} (give the server's data directory with --data)");
                return 1;
            }

            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync(ct);
            var records = await ReadAsync(connection, ct);
            var broken = AuditChain.Verify(records);
            Console.Out.WriteLine(JsonSerializer.Serialize(broken is { } bad
                ? new { records = records.Count, intact = false, firstBad = (long?)bad.Sequence, problem = (string?)bad.Problem }
                : new { records = records.Count, intact = true, firstBad = (long?)null, problem = (string?)null }));
            return broken is null ? 0 : 1;
        });
        return new Command("audit", "The audit trail") { verify };
    }

    private static async Task<List<AuditRecord>> ReadAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {AuditRecord.Columns} FROM audit_log ORDER BY seq;";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(AuditRecord.Read(reader));
        }

        return records;
    }
}
