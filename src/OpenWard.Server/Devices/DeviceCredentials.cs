namespace OpenWard.Server.Devices;

/// <summary>What a device signs in with: its secret's hash, its pinned certificate (if any), and whether it is revoked.</summary>
public readonly record struct DeviceCredentials(string SecretHash, string? CertificateSha256, bool Revoked);
