using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public abstract class HttpIngestContract(RunningServer server)
{
    private HttpClient DeviceClient(string deviceId, string secret)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{deviceId}:{secret}")));
        return http;
    }

    private static StringContent Json(string payload) => new(payload, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Upload_WithDeviceSecret_IsAcceptedAfterCommitWithPerItemReasons()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var http = DeviceClient(deviceId, secret);
        var payload = await File.ReadAllTextAsync("TestData/mixed-batch.json", TestContext.Current.CancellationToken);

        using var response = await http.PostAsync($"/api/v1/devices/{deviceId}/readings", Json(payload), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(6, receipt.GetProperty("received").GetInt32());
        Assert.Equal(3, receipt.GetProperty("stored").GetInt32());
        var refused = receipt.GetProperty("refused").EnumerateArray().ToList();
        Assert.Equal([1, 4, 5], refused.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(refused, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("reason").GetString())));
        Assert.Equal(3, (await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).GetArrayLength());
    }

    [Fact]
    public async Task Upload_FromAnUnassignedDevice_IsKeptUnattributedAndOnce()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var http = DeviceClient(deviceId, secret);
        var payload = $"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddMinutes(-2), 66)}]";

        using var first = await http.PostAsync($"/api/v1/devices/{deviceId}/readings", Json(payload), TestContext.Current.CancellationToken);
        using var again = await http.PostAsync($"/api/v1/devices/{deviceId}/readings", Json(payload), TestContext.Current.CancellationToken);

        var firstReceipt = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var againReceipt = await again.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal((1, 1, 0), (firstReceipt.GetProperty("stored").GetInt32(), firstReceipt.GetProperty("unattributed").GetInt32(), firstReceipt.GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 1), (againReceipt.GetProperty("stored").GetInt32(), againReceipt.GetProperty("duplicates").GetInt32()));
    }

    [Fact]
    public async Task Upload_OfBloodPressureThatDiffersFromOneStoredForTheSameTime_IsRefusedWithBothValues()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using var http = DeviceClient(deviceId, secret);
        var time = Publishing.Time(DateTimeOffset.UtcNow.AddMinutes(-1));
        string Reading(int systolic) => $$"""[{"vital":"blood-pressure","time":"{{time}}","components":{"systolic":{{systolic}},"diastolic":80},"unit":"mm[Hg]"}]""";

        using var first = await http.PostAsync($"/api/v1/devices/{deviceId}/readings", Json(Reading(128)), TestContext.Current.CancellationToken);
        using var conflicting = await http.PostAsync($"/api/v1/devices/{deviceId}/readings", Json(Reading(141)), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflicting.StatusCode);
        var receipt = await conflicting.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal((0, 0), (receipt.GetProperty("stored").GetInt32(), receipt.GetProperty("duplicates").GetInt32()));
        var reason = Assert.Single(receipt.GetProperty("refused").EnumerateArray()).GetProperty("reason").GetString()!;
        Assert.Contains("systolic 128", reason, StringComparison.Ordinal);
        Assert.Contains("systolic 141", reason, StringComparison.Ordinal);
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Equal(("http", reason), (letter.GetProperty("channel").GetString(), letter.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Upload_OverHttps_IsStored()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var handler = new HttpClientHandler
        {
            // The test server's certificate is the self-signed one it generated on first start.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        using var https = new HttpClient(handler) { BaseAddress = server.HttpsAddress };
        https.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{deviceId}:{secret}")));

        using var response = await https.PostAsync($"/api/v1/devices/{deviceId}/readings",
            Json($"[{Publishing.HeartRate(DateTimeOffset.UtcNow, 70)}]"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
    }

    [Fact]
    public async Task Upload_WithWrongSecret_IsUnauthorized()
    {
        var (deviceId, _) = await server.RegisterDeviceAsync();
        using var http = DeviceClient(deviceId, "wrong");

        using var response = await http.PostAsync($"/api/v1/devices/{deviceId}/readings",
            Json($"[{Publishing.HeartRate(DateTimeOffset.UtcNow, 70)}]"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Upload_ForAnotherDevice_IsForbidden()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        var (otherId, _) = await server.RegisterDeviceAsync();
        using var http = DeviceClient(deviceId, secret);

        using var response = await http.PostAsync($"/api/v1/devices/{otherId}/readings",
            Json($"[{Publishing.HeartRate(DateTimeOffset.UtcNow, 70)}]"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Upload_AllInvalid_IsUnprocessableAndDeadLettered()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var http = DeviceClient(deviceId, secret);
        var future = DateTimeOffset.UtcNow.AddHours(1);

        using var response = await http.PostAsync($"/api/v1/devices/{deviceId}/readings",
            Json($"[{Publishing.HeartRate(future, 70)}]"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Contains("ahead of the server clock", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("http", letter.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task Upload_WithInvalidUtf8InAString_KeepsTheValidReading_AndRefusesTheOtherWithItsReason()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var http = DeviceClient(deviceId, secret);
        var now = DateTimeOffset.UtcNow;
        var body = Encoding.UTF8.GetBytes($"[{Publishing.HeartRate(now.AddSeconds(-2), 71)},{{\"vital\":\"heart-rate\",\"time\":\"{Publishing.Time(now.AddSeconds(-1))}\",\"value\":72,\"unit\":\"/mi")
            .Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\"}]")).ToArray();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await http.PostAsync($"/api/v1/devices/{deviceId}/readings", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var refused = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("refused").EnumerateArray());
        Assert.Equal((1, "a text in the reading is not valid UTF-8"), (refused.GetProperty("index").GetInt32(), refused.GetProperty("reason").GetString()));
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Contains("\uFFFD", letter.GetProperty("raw").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_Over256KiB_IsRefusedAndDeadLettered()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var http = DeviceClient(deviceId, secret);
        var payload = "[" + string.Join(',', Enumerable.Repeat(Publishing.HeartRate(DateTimeOffset.UtcNow, 70), 4000)) + "]";

        using var response = await http.PostAsync($"/api/v1/devices/{deviceId}/readings", Json(payload), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Contains("larger than the limit", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_OverTheServersRequestLimit_IsRefusedAsTooLarge_AndDeadLettered()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var http = DeviceClient(deviceId, secret);
        using var content = new ByteArrayContent(new byte[5 * 1024 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        // Asking first, the device hears the refusal before sending 5 MiB (and the test does not race the server closing).
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/devices/{deviceId}/readings") { Content = content };
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Contains("larger than the limit", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>The contract on the embedded SQLite store.</summary>
public sealed class HttpIngestTests(RunningServer server) : HttpIngestContract(server), IClassFixture<RunningServer>;

/// <summary>The contract on a PostgreSQL store.</summary>
public sealed class HttpIngestOnPostgreSqlTests(PostgreSqlServer server) : HttpIngestContract(server), IClassFixture<PostgreSqlServer>;
