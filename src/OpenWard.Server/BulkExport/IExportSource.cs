namespace OpenWard.Server.BulkExport;

/// <summary>
/// The resources of one FHIR type for an export, read from the store as they are written out: an
/// implementation streams (it never holds the whole export in memory).
/// </summary>
public interface IExportSource
{
    /// <summary>The FHIR resource type this source writes (<c>Observation</c>, <c>Patient</c>, <c>Device</c>).</summary>
    string ResourceType { get; }

    /// <summary>Writes the resources of the scope's patients to the file, one line each.</summary>
    Task WriteAsync(ExportScope scope, NdjsonFile file, CancellationToken cancellationToken);
}
