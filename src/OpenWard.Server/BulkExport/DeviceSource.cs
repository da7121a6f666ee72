using OpenWard.Fhir;
using OpenWard.Server.Devices;

namespace OpenWard.Server.BulkExport;

/// <summary>The devices now assigned to the scope's patients as FHIR Devices (identifier, model, serial, firmware, patient).</summary>
public sealed class DeviceSource(DeviceRegistry devices) : IExportSource
{
    /// <inheritdoc />
    public string ResourceType => "Device";

    /// <inheritdoc />
    public async Task WriteAsync(ExportScope scope, NdjsonFile file, CancellationToken cancellationToken)
    {
        // A device's record keeps no time of its last change, so _since cannot leave one out.
        var patients = scope.PatientIds.ToHashSet(StringComparer.Ordinal);
        foreach (var device in await devices.ListAsync(cancellationToken))
        {
            if (device.PatientId is null || !patients.Contains(device.PatientId))
            {
                continue;
            }

            file.Write(DeviceResources.From(device.Id, device.Model, device.Serial, device.Firmware, device.PatientId, device.RevokedAt is not null));
        }
    }
}
