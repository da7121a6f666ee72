using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public abstract class QueryApiContract(RunningServer server)
{
    [Theory]
    [InlineData("/api/v1/patients")]
    [InlineData("/api/v1/devices")]
    [InlineData("/api/v1/dead-letters")]
    [InlineData("/api/v1/vitals")]
    public async Task Api_WithoutToken_IsUnauthorized(string path)
    {
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await anonymous.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_WithWrongSecret_IsRefused()
    {
        var (clientId, _) = await server.ReadBootstrapCredentialsAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => server.SignInAsync((clientId, "wrong")));
    }

    [Fact]
    public async Task IntegrationClient_ReadsClinicalDataButCannotManageDevices()
    {
        using var created = await server.Admin.PostAsJsonAsync("/api/v1/clients", new { name = "Record system" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var credentials = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        using var integration = await server.SignInAsync((credentials.GetProperty("clientId").GetString()!, credentials.GetProperty("clientSecret").GetString()!));

        using var patients = await integration.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);
        using var register = await integration.PostAsJsonAsync("/api/v1/devices", new { id = "x1", model = "m", serial = "s" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, patients.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
    }

    [Fact]
    public async Task Readings_WithResolution_AreBucketedWithMinMaxMeanCount()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var hour = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        var values = new[] { 60.0, 70, 80, 90 };
        var readings = values.Select((v, i) => Publishing.HeartRate(hour.AddMinutes(i * 20), v));
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", "[" + string.Join(',', readings) + "]");

        var page = await server.GetJsonAsync($"/api/v1/patients/{patientId}/readings?vital=heart-rate&resolution=1h");

        var buckets = page.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(2, buckets.Count);
        Assert.Equal(hour, buckets[0].GetProperty("start").GetDateTimeOffset());
        Assert.Equal(3, buckets[0].GetProperty("count").GetInt64());
        Assert.Equal(60, buckets[0].GetProperty("min").GetDouble());
        Assert.Equal(80, buckets[0].GetProperty("max").GetDouble());
        Assert.Equal(70, buckets[0].GetProperty("mean").GetDouble());
        Assert.Equal(1, buckets[1].GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Readings_Raw_ArePagedWithACursorAndFilteredByTime()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var start = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        var readings = Enumerable.Range(0, 25).Select(i => Publishing.HeartRate(start.AddMinutes(i), 60 + i));
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", "[" + string.Join(',', readings) + "]");

        var seen = new List<double>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var path = $"/api/v1/patients/{patientId}/readings?vital=heart-rate&limit=10&from={Publishing.Time(start.AddMinutes(2))}&to={Publishing.Time(start.AddMinutes(22))}";
            var page = await server.GetJsonAsync(cursor is null ? path : path + "&cursor=" + cursor);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("value").GetDouble()));
            cursor = page.TryGetProperty("next", out var next) ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(Enumerable.Range(62, 20).Select(v => (double)v), seen);
        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task Readings_WithUnknownVitalOrBadTime_AreAValidationProblem()
    {
        var patientId = await server.AddPatientAsync();

        using var response = await server.Clinician.GetAsync($"/api/v1/patients/{patientId}/readings?vital=mood&from=yesterday&resolution=2h", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("vital", out _));
        Assert.True(errors.TryGetProperty("from", out _));
        Assert.True(errors.TryGetProperty("resolution", out _));
    }

    [Fact]
    public async Task Devices_RegisterTwiceWithTheSameId_IsAConflict()
    {
        var (deviceId, _) = await server.RegisterDeviceAsync();

        using var response = await server.Admin.PostAsJsonAsync("/api/v1/devices", new { id = deviceId, model = "m", serial = "s" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }
}

/// <summary>The contract on the embedded SQLite store.</summary>
public sealed class QueryApiTests(RunningServer server) : QueryApiContract(server), IClassFixture<RunningServer>;

/// <summary>The contract on a PostgreSQL store.</summary>
public sealed class QueryApiOnPostgreSqlTests(PostgreSqlServer server) : QueryApiContract(server), IClassFixture<PostgreSqlServer>;
