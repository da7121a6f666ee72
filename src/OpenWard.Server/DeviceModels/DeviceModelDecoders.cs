using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Text;
using OpenWard.Mapping;
using OpenWard.Server.Devices;

namespace OpenWard.Server.DeviceModels;

/// <summary>
/// The decoder for a device that sends its own JSON: its model's mapping templates, or, for a model
/// without them, one that refuses every message saying how to set them.
/// </summary>
public sealed class DeviceModelDecoders(DeviceDirectory directory, DeviceModelMappings mappings)
{
    /// <summary>The decoder for the messages of <paramref name="deviceId"/>, as its model's mapping stands now.</summary>
    public IPayloadDecoder<DecodedBatch> For(string deviceId)
    {
        var model = directory.ModelOf(deviceId) ?? "";
        return mappings.Find(model) is { } mapping
            ? new MappingTemplateDecoder(mapping.Device, mapping.Fhir, deviceId)
            : new RefusingDecoder($"device model \"{Quote.Shorten(model)}\" has no mapping template; set one with PUT /api/v1/device-models/{{model}}/mapping");
    }
}
