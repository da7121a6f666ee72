namespace OpenWard.Server.Alerts;

/// <summary>A webhook (<c>OpenWard:Alerting:Webhooks:N:…</c>): where alert changes are posted and the secret that signs them.</summary>
public sealed class WebhookTarget
{
    /// <summary>The receiver's URL (HTTPS outside tests).</summary>
    public string Url { get; set; } = "";

    /// <summary>The shared secret for the HMAC-SHA256 signature (from configuration or the environment, never the repository).</summary>
    public string Secret { get; set; } = "";
}
