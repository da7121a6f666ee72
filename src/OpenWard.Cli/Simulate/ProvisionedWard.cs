using OpenWard.Simulator.Mqtt;

namespace OpenWard.Cli.Simulate;

/// <summary>A simulated ward as created on the server: each planned patient's id, and each device's credentials.</summary>
/// <param name="PatientIds">The server's id of each planned patient, in plan order.</param>
/// <param name="Credentials">Each device's MQTT credentials, by device id.</param>
public sealed record ProvisionedWard(IReadOnlyList<string> PatientIds, IReadOnlyDictionary<string, DeviceCredential> Credentials);
