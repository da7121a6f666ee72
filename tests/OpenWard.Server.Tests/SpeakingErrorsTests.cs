using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>Each error names what was wrong and what to do, in plain words: never an empty list, an empty 400 or the framework's exception text.</summary>
public sealed class SpeakingErrorsTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Readings_WithAVitalOpenWardDoesNotKnow_NameTheValueGiven_AndListTheKnownOnes()
    {
        var patientId = await server.AddPatientAsync();

        var unknown = await ProblemAsync(await server.Clinician.GetAsync($"/api/v1/patients/{patientId}/readings?vital=pulse", TestContext.Current.CancellationToken));
        var missing = await ProblemAsync(await server.Clinician.GetAsync($"/api/v1/patients/{patientId}/readings", TestContext.Current.CancellationToken));

        var reason = unknown.GetProperty("errors").GetProperty("vital")[0].GetString()!;
        Assert.StartsWith("\"pulse\" is not a vital sign OpenWard knows; vital is one of ", reason, StringComparison.Ordinal);
        Assert.Contains("heart-rate", reason, StringComparison.Ordinal);
        Assert.StartsWith("say which vital sign: vital is one of ", missing.GetProperty("errors").GetProperty("vital")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonBody_SentWithoutAJsonContentType_Is415_SayingToSendApplicationJson()
    {
        using var response = await server.Admin.PostAsync("/api/v1/patients",
            new StringContent("""{"name":"Ada Lovelace"}""", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains("Content-Type: application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedJsonBody_IsAnsweredWithTheLineTheCharacterAndWhatWasExpected_InPlainWords()
    {
        using var response = await server.Admin.PostAsync("/api/v1/patients",
            new StringContent("{\"name\": \"Ada Lovelace\",\n  \"mrn\" \"12345\"}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("detail").GetString()!;
        Assert.Equal("the body is not valid JSON: line 2, character 9: expected ':' after the property name, found '\"'", detail);
    }

    [Fact]
    public async Task JsonValueOfTheWrongType_NamesTheProperty()
    {
        using var response = await server.Admin.PostAsync("/api/v1/patients",
            new StringContent("""{"name": 42}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("detail").GetString()!;
        Assert.StartsWith("the body has a value of the wrong type: line 1, character 12: \"name\" ", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryValueOfTheWrongKind_SaysWhatItShouldBe()
    {
        using var response = await server.Clinician.GetAsync("/api/v1/alerts?limit=many", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("detail").GetString();
        Assert.Equal("limit \"many\" is not a whole number", detail);
    }

    [Fact]
    public async Task DeviceUpload_SentAsAForm_Is415_SayingToSendJson_AndStoresNothing()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = DeviceClient(deviceId, secret);

        using var response = await device.PostAsync($"/api/v1/devices/{deviceId}/readings",
            new StringContent($"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddSeconds(-5), 70)}]", Encoding.UTF8, "application/x-www-form-urlencoded"),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("detail").GetString()!;
        Assert.Contains("sent as application/x-www-form-urlencoded", detail, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/json", detail, StringComparison.Ordinal);
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
    }

    [Fact]
    public async Task DeviceUpload_OfMalformedJson_SaysWhereAndWhatWasExpected()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using var device = DeviceClient(deviceId, secret);

        using var response = await device.PostAsync($"/api/v1/devices/{deviceId}/readings",
            new StringContent("[{\"vital\": \"heart-rate\", \"value\": }]", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("problem").GetString()!;
        Assert.StartsWith("payload is not valid JSON: line 1, character 35: expected a value", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", problem, StringComparison.Ordinal);
    }

    private HttpClient DeviceClient(string deviceId, string secret)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{deviceId}:{secret}")));
        return http;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        }
    }
}
