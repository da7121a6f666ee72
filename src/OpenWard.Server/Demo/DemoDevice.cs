namespace OpenWard.Server.Demo;

/// <summary>A simulated device of the demo ward: its credentials, its patient and its model.</summary>
public sealed record DemoDevice(string Id, string Secret, string PatientId, string Model);
