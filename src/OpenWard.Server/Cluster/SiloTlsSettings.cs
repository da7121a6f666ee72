namespace OpenWard.Server.Cluster;

/// <summary>
/// TLS between the silos of a cluster (<c>OpenWard:Orleans:Tls:…</c>): patients' grains are called across
/// the silo and gateway ports, so in a cluster those connections are mutual TLS — each node shows its
/// certificate and accepts only a node whose certificate is issued by the configured authority or is
/// one of the pinned ones. Not used by a single node, whose silo listens on loopback only.
/// </summary>
public sealed class SiloTlsSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:Orleans:Tls";

    /// <summary>
    /// The node's certificate with its private key (PFX), allowed for both server and client
    /// authentication: a node is the server of some silo connections and the client of others.
    /// Default: the node's own certificate, <c>OpenWard:Tls:CertificatePath</c>.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PFX's password, if it has one (default: <c>OpenWard:Tls:CertificatePassword</c> with the node's own certificate).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// A PEM file of the certificate authorities (one or more) that issue the nodes' certificates: a
    /// node whose certificate chains to one of them is accepted. Use an authority for the cluster's
    /// nodes only: any certificate it issued can join.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>The SHA-256 fingerprints (hex) of the nodes' certificates, accepted whoever issued them: a pinned set instead of, or beside, an authority.</summary>
    public List<string> TrustedThumbprints { get; set; } = [];

    /// <summary>
    /// Lets a cluster whose nodes all advertise a loopback address (one machine, for trying or testing it)
    /// run its silo traffic in clear. Refused with any other address.
    /// </summary>
    public bool AllowPlainOnLoopback { get; set; }

    /// <summary>Whether a way to trust the other nodes is configured.</summary>
    public bool HasTrust => !string.IsNullOrWhiteSpace(CaCertificatePath) || TrustedThumbprints.Count > 0;
}
