namespace OpenWard.Server.Hosting;

/// <summary>Browser-facing settings (<c>OpenWard:Web:…</c>).</summary>
public sealed class WebOptions
{
    /// <summary>Origins allowed to call the API from a browser (CORS); none by default, so no other site can.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Whether the HTTPS listeners ask for a client certificate (which a device uploading over HTTPS
    /// presents when its certificate is pinned). On by default. Browsers that hold certificates of their
    /// own — smart cards, enterprise certificates — may then offer to send one when the console opens;
    /// where that is a nuisance, turn it off: devices with pinned certificates then upload over MQTT
    /// with TLS, since an HTTPS upload without the pinned certificate is refused.
    /// </summary>
    public bool AskForClientCertificates { get; set; } = true;
}
