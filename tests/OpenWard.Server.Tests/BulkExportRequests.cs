using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Testing;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Server.Tests;

/// <summary>
/// A bulk export client's requests, as the Bulk Data IG has them: the kick-off with <c>Prefer: respond-async</c>,
/// polling the status URL until the manifest, and downloading a file with every line parsed as a FHIR resource.
/// </summary>
internal static class BulkExportRequests
{
    /// <summary>Sends a kick-off request and gives its answer, whatever it is.</summary>
    public static async Task<HttpResponseMessage> SendKickOffAsync(HttpClient caller, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Prefer", "respond-async");
        request.Headers.Add("Accept", FhirResponses.MediaType);
        return await caller.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Starts an export that must be accepted and gives its status URL.</summary>
    public static async Task<string> KickOffAsync(HttpClient caller, string path)
    {
        using var response = await SendKickOffAsync(caller, path);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Content.Headers.ContentLocation?.ToString() ?? throw new InvalidOperationException("no Content-Location");
    }

    /// <summary>Polls the status URL until the export is complete and gives its manifest.</summary>
    public static async Task<JsonElement> WaitForManifestAsync(HttpClient caller, string statusUrl)
    {
        var done = await Eventually.MatchAsync(async () =>
        {
            using var status = await caller.GetAsync(statusUrl, TestContext.Current.CancellationToken);
            Assert.True(status.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"status answered {(int)status.StatusCode}");
            return status.StatusCode == HttpStatusCode.OK ? await status.Content.ReadAsStringAsync(TestContext.Current.CancellationToken) : null;
        }, body => body is not null, "the export to complete");
        return JsonDocument.Parse(done!).RootElement.Clone();
    }

    /// <summary>Starts an export and waits for its manifest.</summary>
    public static async Task<JsonElement> ExportAndWaitAsync(HttpClient caller, string path) =>
        await WaitForManifestAsync(caller, await KickOffAsync(caller, path));

    /// <summary>Downloads a manifest's file: every line must be one FHIR resource of the file's type, and the manifest's count the number of lines.</summary>
    public static async Task<List<T>> DownloadAsync<T>(HttpClient caller, JsonElement file)
        where T : Resource
    {
        using var response = await caller.GetAsync(file.GetProperty("url").GetString(), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(file.GetProperty("count").GetInt64(), lines.Length);
        return [.. lines.Select(line => Assert.IsType<T>(JsonSerializer.Deserialize<Resource>(line, FhirJson.Options)))];
    }
}
