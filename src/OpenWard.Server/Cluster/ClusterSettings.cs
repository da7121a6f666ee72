using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Cluster;

/// <summary>
/// Whether this node joins a cluster of OpenWard nodes (<c>OpenWard:Cluster:…</c>). Off by default: one
/// node, one in-process silo on loopback. On, the node's silo joins the others through the membership
/// table in the shared PostgreSQL store, and patients' grains live on any node (docs/scaling.md).
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:Cluster";

    /// <summary>Join a cluster (needs <c>OpenWard:Store:Provider=postgresql</c>).</summary>
    public bool Enabled { get; set; }

    /// <summary>The cluster's name: nodes with the same name and store form one cluster.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$", ErrorMessage = "must be 1 to 100 letters, digits, '.', '_' or '-'")]
    public string Name { get; set; } = "openward";
}
