using OpenWard.Server.Audit;

namespace OpenWard.Server.BulkExport;

/// <summary>
/// Writes one export: records in the audit trail, per patient, that the requester exported their
/// record, then streams each requested type from its source into its own ndjson file.
/// </summary>
public sealed class ExportRunner(IEnumerable<IExportSource> sources, AuditTrail trail)
{
    /// <summary>The action the audit trail records for each exported patient.</summary>
    public const string AuditAction = "EXPORT /fhir/$export";

    private readonly Dictionary<string, IExportSource> byType = sources.ToDictionary(s => s.ResourceType, StringComparer.Ordinal);

    /// <summary>The resource types an export can hold, in the order they are written.</summary>
    public IReadOnlyList<string> Types => [.. byType.Keys];

    /// <summary>Writes the export's files; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    public async Task RunAsync(ExportJob job, CancellationToken cancellationToken)
    {
        foreach (var patientId in job.Scope.PatientIds)
        {
            await trail.AppendAsync(job.Owner, AuditAction, patientId, "export " + job.Id, "200", cancellationToken);
        }

        foreach (var type in job.Types)
        {
            var fileName = type + ".ndjson";
            long count;
            await using (var file = new NdjsonFile(Path.Combine(job.Folder, fileName)))
            {
                job.Begin(type, file);
                await byType[type].WriteAsync(job.Scope, file, cancellationToken);
                count = file.Count;
            }

            job.Finish(new ExportOutput(type, fileName, count));
        }
    }
}
