namespace OpenWard.Simulator.Ward;

/// <summary>A patient of the ward plan: a synthetic name, their devices and scripted scenarios.</summary>
public sealed record PlannedPatient(int Index, string Name, bool Diabetic, IReadOnlyList<PlannedDevice> Devices, IReadOnlyList<string> Scenarios);
