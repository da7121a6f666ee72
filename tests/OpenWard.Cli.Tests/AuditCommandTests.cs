using Microsoft.Data.Sqlite;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

public sealed class AuditCommandTests(RunningServer server) : IClassFixture<RunningServer>
{
    private Task<CliProcess.Outcome> Openward(params string[] args) =>
        CliProcess.RunAsync([.. args, "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory]);

    [Fact]
    public async Task AuditTrail_RecordsWhoReadWhichPatient_AndVerify_NamesTheFirstEditedRecord()
    {
        var patientId = await server.AddPatientAsync();
        await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest");

        var intact = await Openward("audit", "verify");
        Assert.True(intact.ExitCode == 0, intact.Error + intact.Output);
        Assert.True(intact.Json.GetProperty("intact").GetBoolean());
        Assert.True(intact.Json.GetProperty("records").GetInt32() >= 3); // sign-in, add patient, read

        var database = Path.Combine(server.DataDirectory, "openward.db");
        long read;
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var find = connection.CreateCommand();
            find.CommandText = "SELECT seq, actor FROM audit_log WHERE patient_id = $patient AND action = 'GET /api/v1/patients/{patientId}/latest';";
            find.Parameters.AddWithValue("$patient", patientId);
            await using (var reader = await find.ExecuteReaderAsync(TestContext.Current.CancellationToken))
            {
                Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
                read = reader.GetInt64(0);
                Assert.StartsWith("user:", reader.GetString(1), StringComparison.Ordinal);
            }

            // Someone with access to the file rewrites who read the record.
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE audit_log SET actor = 'client:nobody' WHERE seq = $seq;";
            tamper.Parameters.AddWithValue("$seq", read);
            await tamper.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var broken = await Openward("audit", "verify");

        Assert.Equal(1, broken.ExitCode);
        Assert.False(broken.Json.GetProperty("intact").GetBoolean());
        Assert.Equal(read, broken.Json.GetProperty("firstBad").GetInt64());
    }
}
