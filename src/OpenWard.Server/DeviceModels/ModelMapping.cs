using OpenWard.Mapping.Destination;
using OpenWard.Mapping.Templates;

namespace OpenWard.Server.DeviceModels;

/// <summary>A device model's loaded templates: how to read its messages and what the readings in them mean.</summary>
public sealed record ModelMapping(DeviceMapping Device, FhirMapping Fhir, DateTimeOffset UpdatedAt);
