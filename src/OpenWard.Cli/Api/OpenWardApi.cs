using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenWard.Cli.Api;

/// <summary>The OpenWard HTTP API as the CLI uses it: signs in with client credentials, sends JSON, returns JSON.</summary>
public sealed class OpenWardApi : IDisposable
{
    private readonly HttpClient http;
    private readonly ClientCredentials credentials;
    private string? token;

    /// <summary>An API client for the server at <paramref name="server"/>.</summary>
    public OpenWardApi(Uri server, ClientCredentials credentials)
    {
        http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        this.credentials = credentials;
    }

    /// <summary>The server's address.</summary>
    public Uri Server => http.BaseAddress!;

    /// <summary>A bearer token for connections that are not plain requests (the alerts hub).</summary>
    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken) => token ??= await SignInAsync(cancellationToken);

    /// <summary>GETs a path and returns its JSON body.</summary>
    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    /// <summary>POSTs a JSON body and returns the JSON answer.</summary>
    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, cancellationToken);

    /// <summary>PUTs a JSON body and returns the JSON answer.</summary>
    public Task<JsonElement> PutAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) }, cancellationToken);

    /// <summary>PATCHes a JSON body (the fields to change) and returns the JSON answer.</summary>
    public Task<JsonElement> PatchAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(body) }, cancellationToken);

    /// <summary>DELETEs a path.</summary>
    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    private async Task<JsonElement> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        token ??= await SignInAsync(cancellationToken);
        using var message = request();
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await SendOrExplainAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"{(int)response.StatusCode} {response.ReasonPhrase}: {Describe(text, response.StatusCode)}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string> SignInAsync(CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = credentials.ClientId,
                ["client_secret"] = credentials.ClientSecret,
            }),
        };
        using var response = await SendOrExplainAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"sign-in refused: {ReasonOf(text)}; check OPENWARD_CLIENT_ID and OPENWARD_CLIENT_SECRET, or --data");
        }

        return JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<HttpResponseMessage> SendOrExplainAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the OpenWard server at {http.BaseAddress}: {e.Message}");
        }
    }

    /// <summary>
    /// A refusal in plain words: the problem's reason (each invalid field with its message, not the
    /// JSON), and what to do where the status says it.
    /// </summary>
    private static string Describe(string body, HttpStatusCode status)
    {
        var reason = ReasonOf(body);
        var advice = status switch
        {
            HttpStatusCode.Unauthorized => "sign in again: check OPENWARD_CLIENT_ID and OPENWARD_CLIENT_SECRET, or --data",
            HttpStatusCode.Forbidden when reason.Length == 0 => "this client's role may not do this; use a client or person that may",
            HttpStatusCode.NotFound => "check the id (a record this client may not see is answered as one that does not exist)",
            HttpStatusCode.TooManyRequests => "wait a moment and try again",
            >= HttpStatusCode.InternalServerError => "the server could not answer; its log says why",
            _ => "",
        };
        return string.Join("; ", new[] { reason, advice }.Where(part => part.Length > 0));
    }

    private static string ReasonOf(string body)
    {
        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            if (json.ValueKind != JsonValueKind.Object)
            {
                return Shorten(body);
            }

            // A validation problem: each field with its messages, in the words the server gave.
            if (json.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                return string.Join("; ", errors.EnumerateObject().Select(field =>
                    $"{field.Name}: {string.Join(" ", field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray().Select(m => m.ToString()) : [field.Value.ToString()])}"));
            }

            foreach (var name in new[] { "detail", "error_description", "title" })
            {
                if (json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: show it as it is.
        }

        return Shorten(body);
    }

    private static string Shorten(string text) => text.Length > 500 ? text[..500] + "…" : text;

    /// <inheritdoc />
    public void Dispose() => http.Dispose();
}
