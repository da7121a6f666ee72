using System.Runtime.CompilerServices;
using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Server.Readings;

namespace OpenWard.Server.BulkExport;

/// <summary>Every stored reading of the scope's patients as an Observation, patient by patient, streamed from the store.</summary>
public sealed class ObservationSource(ReadingStream readings) : IExportSource
{
    /// <inheritdoc />
    public string ResourceType => "Observation";

    /// <inheritdoc />
    public async IAsyncEnumerable<Resource> ReadAsync(ExportScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var patientId in scope.PatientIds)
        {
            await foreach (var reading in readings.ReadAsync(patientId, scope.Since, cancellationToken))
            {
                yield return ObservationResources.From(reading.Id, reading.Reading);
            }
        }
    }
}
