namespace OpenWard.Server.BulkExport;

/// <summary>What one export reads: these patients' resources, changed since <see cref="Since"/> when given.</summary>
public sealed record ExportScope
{
    /// <summary>The patients whose data is exported, each one the requester may export.</summary>
    public required IReadOnlyList<string> PatientIds { get; init; }

    /// <summary>Only resources stored at or after this instant (<c>_since</c>); null for all.</summary>
    public DateTimeOffset? Since { get; init; }
}
