using System.Text.Json;
using OpenWard.Server.Alerts;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>Alerts leave OpenWard on every channel: a signed webhook (retried after a failure) and an e-mail over SMTP.</summary>
public sealed class AlertDeliveryTests(DeliveringServer server) : IClassFixture<DeliveringServer>
{
    [Fact]
    public async Task RaisedAlert_IsPostedSigned_RetriedAfterAFailure_AndMailed()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            await device.PublishReadingsAsync($"devices/{deviceId}/readings",
                $$"""[{"vital":"blood-glucose","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1))}}","value":48,"unit":"mg/dL"}]""");
        }

        var webhook = await WaitAsync(() => server.Webhook.Received.FirstOrDefault(r => r.Body.Contains(patientId, StringComparison.Ordinal)));
        var notice = JsonDocument.Parse(webhook.Body).RootElement;
        Assert.Equal("raised", notice.GetProperty("change").GetString());
        Assert.Equal("critical", notice.GetProperty("alert").GetProperty("severity").GetString());
        Assert.Equal(WebhookChannel.Sign(DeliveringServer.WebhookSecret, webhook.Timestamp, webhook.Body), webhook.Signature);

        var mail = await WaitAsync(() => server.Mail.Messages.FirstOrDefault(m => m.Data.Contains(patientId, StringComparison.Ordinal)));
        Assert.Equal("ward-7@hospital.test", mail.Recipient);
        Assert.Contains("Blood glucose 48 mg/dL below 54 mg/dL", mail.Data, StringComparison.Ordinal);

        var alertId = notice.GetProperty("alert").GetProperty("id").GetString()!;
        var deliveries = (await server.GetJsonAsync($"/api/v1/alerts/{alertId}/deliveries")).EnumerateArray().ToList();
        var posted = Assert.Single(deliveries, d => d.GetProperty("channel").GetString() == "webhook");
        Assert.Equal("delivered", posted.GetProperty("status").GetString());
        Assert.Equal(2, posted.GetProperty("attempts").GetInt32()); // the receiver refused the first
        Assert.Equal("delivered", Assert.Single(deliveries, d => d.GetProperty("channel").GetString() == "email").GetProperty("status").GetString());
    }

    [Fact]
    public void Signature_IsTheHmacOfTimestampAndBody() =>
        Assert.Equal(
            "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("k"u8.ToArray(), "1.{}"u8.ToArray())),
            WebhookChannel.Sign("k", "1", "{}"));

    private static Task<T> WaitAsync<T>(Func<T> probe) =>
        Eventually.MatchAsync(() => Task.FromResult(probe()), found => found is not null && !EqualityComparer<T>.Default.Equals(found, default), "the delivery");
}
