using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Posts each notice as JSON to the configured webhooks, signed: <c>X-OpenWard-Timestamp</c> (Unix
/// seconds) and <c>X-OpenWard-Signature: sha256=HEX</c>, the HMAC-SHA256 under the webhook's secret
/// of <c>{timestamp}.{body}</c>, so a receiver can check origin and refuse replays.
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory http, IOptions<AlertingOptions> options, TimeProvider clock) : IAlertChannel
{
    /// <summary>The header carrying the signature.</summary>
    public const string SignatureHeader = "X-OpenWard-Signature";

    /// <summary>The header carrying the signing time.</summary>
    public const string TimestampHeader = "X-OpenWard-Timestamp";

    /// <inheritdoc />
    public string Name => "webhook";

    /// <inheritdoc />
    public IReadOnlyList<string> Targets => [.. options.Value.Webhooks.Select(w => w.Url)];

    /// <summary>The signature of a body at a time under a secret, as the header carries it.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <inheritdoc />
    public async Task<string?> SendAsync(string target, string payload, CancellationToken cancellationToken)
    {
        var webhook = options.Value.Webhooks.FirstOrDefault(w => w.Url == target);
        if (webhook is null)
        {
            return "the webhook is no longer configured";
        }

        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, Sign(webhook.Secret, timestamp, payload));
        try
        {
            using var client = http.CreateClient(nameof(WebhookChannel));
            using var response = await client.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException exception)
        {
            return exception.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
    }
}
