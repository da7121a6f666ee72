using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.BulkExport;

/// <summary>FHIR bulk export (<c>OpenWard:Fhir:…</c>).</summary>
public sealed class BulkExportOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:Fhir";

    /// <summary>How long an export's files stay downloadable after it completes; a background sweep then deletes them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ExportLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many exports may run at once on this node; more are refused with 429 until one ends.</summary>
    [Range(1, 16)]
    public int ConcurrentExports { get; set; } = 2;
}
