namespace OpenWard.Server.Hosting;

/// <summary>Browser-facing settings (<c>OpenWard:Web:…</c>).</summary>
public sealed class WebOptions
{
    /// <summary>Origins allowed to call the API from a browser (CORS); none by default, so no other site can.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
