namespace OpenWard.Testing;

/// <summary>A running server whose alerts go to a real webhook receiver and a real SMTP server on loopback.</summary>
public sealed class DeliveringServer : RunningServer
{
    public const string WebhookSecret = "test-webhook-secret";

    public WebhookReceiver Webhook { get; } = WebhookReceiver.Start();

    public SmtpReceiver Mail { get; } = SmtpReceiver.Start();

    protected override IEnumerable<string> ExtraArguments =>
    [
        $"--OpenWard:Alerting:Webhooks:0:Url=http://127.0.0.1:{Webhook.Port}/alerts",
        $"--OpenWard:Alerting:Webhooks:0:Secret={WebhookSecret}",
        "--OpenWard:Alerting:RetryBackoff=00:00:00.200",
        "--OpenWard:Alerting:EscalationCheck=00:00:00.100",
        "--OpenWard:Alerting:Email:Host=127.0.0.1",
        $"--OpenWard:Alerting:Email:Port={Mail.Port}",
        "--OpenWard:Alerting:Email:UseTls=false",
        "--OpenWard:Alerting:Email:To:0=ward-7@hospital.test",
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Webhook.Dispose();
        Mail.Dispose();
    }
}
