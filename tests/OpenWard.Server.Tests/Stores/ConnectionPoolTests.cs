using Npgsql;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// A node's connections to a shared PostgreSQL are bounded (several nodes share the server's
/// max_connections): a burst of work beyond the bound waits for a connection and is served, and
/// the operator's own bound in the connection string is kept.
/// </summary>
public sealed class ConnectionPoolTests
{
    [Fact]
    public async Task ABurstOfReads_WaitsForTheNodesBoundedPool_AndIsServed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await PostgreSqlDatabase.CreateAsync();
        await using var store = new PostgreSqlClinicalDatabase(database.ConnectionString, [], TimeProvider.System);
        await store.PrepareAsync(ct);

        // Forty reads at once, each holding its connection a moment: more than the pool holds.
        var peaks = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            await using var connection = await store.OpenAsync(ct);
            await using var query = connection.CreateCommand();
            query.CommandText = """
                SELECT (SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND application_name = 'OpenWard' AND state = 'active')
                FROM pg_sleep(0.1);
                """;
            return Convert.ToInt64(await query.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }));

        Assert.Equal(40, peaks.Length);
        Assert.InRange(peaks.Max(), 1, 10);
    }

    [Fact]
    public async Task ABoundInTheConnectionString_IsKept()
    {
        await using var database = await PostgreSqlDatabase.CreateAsync();
        await using var store = new PostgreSqlClinicalDatabase(database.ConnectionString + ";Maximum Pool Size=3", [], TimeProvider.System);

        Assert.Equal(3, new NpgsqlConnectionStringBuilder(store.Writable.ConnectionString).MaxPoolSize);
    }

    [Theory]
    [InlineData("Host=db;Database=ward;Maximum Pool Size=2", 2, true)]
    [InlineData("Host=db;Database=ward;Maximum Pool Size=3", 2, false)]
    [InlineData("Host=db;Database=ward", 4, false)]
    public void ReadingWriters_AsManyAsTheWritePoolHolds_AreRefusedAtStart(string connectionString, int writers, bool refused)
    {
        var options = new StoreOptions { Provider = StoreOptions.PostgreSql, ConnectionString = connectionString, ReadingWriters = writers };
        var problems = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), problems, validateAllProperties: true);

        Assert.Equal(refused, problems.Any(p => p.MemberNames.Contains(nameof(StoreOptions.ReadingWriters))
            && p.ErrorMessage!.Contains("Maximum Pool Size", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Host=db;Database=ward", 4)]
    [InlineData("Host=db;Database=ward;MaxPoolSize=7", 7)]
    [InlineData("Host=db;Database=ward;Maximum Pool Size=8", 8)]
    public void OrleansTables_GetABoundedNamedPool_UnlessTheOperatorChoseOne(string connectionString, int expected)
    {
        var settings = PostgreSqlConnections.For(connectionString, "OpenWard Orleans", PostgreSqlConnections.OrleansPoolSize);

        Assert.Equal(expected, settings.MaxPoolSize);
        Assert.Equal("OpenWard Orleans", settings.ApplicationName);
    }

    [Theory]
    [InlineData("Host=db1,db2;Database=ward;Target Session Attributes=primary", 1)]
    [InlineData("Host=db1,db2;Database=ward;Target Session Attributes=primary;Host Recheck Seconds=5", 5)]
    [InlineData("Host=db1;Database=ward", 10)]
    public void APrimaryAndItsStandby_AreAskedForTheirRolesEverySecond_UnlessTheOperatorChose(string connectionString, int expected)
    {
        var settings = PostgreSqlConnections.For(connectionString, "OpenWard", PostgreSqlConnections.ClinicalPoolSize);

        Assert.Equal(expected, settings.HostRecheckSeconds);
    }
}
