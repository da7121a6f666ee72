using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Audit;

/// <summary>Anchoring the audit trail outside the database (<c>OpenWard:Audit:…</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:Audit";

    /// <summary>
    /// The append-only file the signed anchors go to, relative to the data directory (or absolute,
    /// e.g. on a volume the database's administrators cannot write).
    /// </summary>
    public string AnchorFile { get; set; } = Core.Audit.AuditAnchor.FileName;

    /// <summary>
    /// The private key that signs anchors (PEM, ECDSA P-256), relative to the data directory or
    /// absolute; created owner-only on first start. Keep it where a copy of the database does not go.
    /// </summary>
    public string AnchorKeyFile { get; set; } = "audit-anchor-key.pem";

    /// <summary>How often the trail's head is anchored when records were added since the last anchor; also at start and at shutdown.</summary>
    [Range(1, 86_400)]
    public int AnchorIntervalSeconds { get; set; } = 60;
}
