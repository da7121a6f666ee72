using Hl7.Fhir.Model;

namespace OpenWard.Server.BulkExport;

/// <summary>
/// The resources of one FHIR type for an export, read from the store as they are written out: an
/// implementation streams (it never holds the whole export in memory).
/// </summary>
public interface IExportSource
{
    /// <summary>The FHIR resource type this source yields (<c>Observation</c>, <c>Patient</c>, <c>Device</c>).</summary>
    string ResourceType { get; }

    /// <summary>The resources of the scope's patients, one at a time.</summary>
    IAsyncEnumerable<Resource> ReadAsync(ExportScope scope, CancellationToken cancellationToken);
}
