namespace OpenWard.Simulator.Mqtt;

/// <summary>A simulated device's MQTT credentials.</summary>
public sealed record DeviceCredential(string DeviceId, string Secret);
