using OpenWard.Simulator.Devices;

namespace OpenWard.Simulator.Ward;

/// <summary>A device the ward plan gives a patient.</summary>
public sealed record PlannedDevice(string Id, DeviceKind Kind);
